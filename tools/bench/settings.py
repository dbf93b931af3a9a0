"""Settings for `make bench` only: the portal's own settings (production values
come from the environment the bench sets) plus a trivial view that returns a
static body of a given size through the same middleware, as the framework's
ceiling to compare each page with. Never used in production."""

import os

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "tools.bench.urls"

# Render timings (growth, profiles) measure the work a cache would hide.
if os.environ.get("BENCH_PAGE_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
