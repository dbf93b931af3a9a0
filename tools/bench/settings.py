"""Settings for `make bench` only: the portal's own settings (production values
come from the environment the bench sets), with the page cache switched off
when a measurement asks for it. Never used in production."""

import os

from portal.settings import *  # noqa: F403

# Render timings (growth, profiles) measure the work a cache would hide.
if os.environ.get("BENCH_PAGE_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
