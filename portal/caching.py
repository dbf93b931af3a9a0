"""Whole-page caching for public pages that is never stale.

The portal is read far more than it is written, so public pages are served
from a cache once rendered. This module is the generic part: it knows nothing
of what a page shows. A view opts in with ``cache_public_page(version_of)``,
where ``version_of(request, kwargs)`` is supplied by the app that owns the
data and returns a ``PageVersion``: a token that changes whenever anything the
page can show changes, and the time of that change. The app keeps the token
honest by bumping its content version on every write (see the owning app's
``versions`` module).

On top of the app's token the key holds **the code release** (a hash of the
templates, static files and Python of the project's apps), so a deploy never
serves pages rendered by the old code, the language, and the full URL.

The same values give ``ETag`` and ``Last-Modified``, and Django's ``condition``
decorator answers ``If-None-Match``/``If-Modified-Since`` with 304 before the
cache or the view is touched.

Only anonymous, user-independent responses are stored: a 200 to GET that sets
no cookie, did not touch the session (so it cannot depend on who is logged in)
and did not use a CSRF token. The cache is ``caches["default"]``: Django's Redis
backend when ``REDIS_URL`` is set, so all processes share rendered pages (with
a per-process copy in front of it, ``caches["local"]``: a key names one content
version, so a copy can never be stale), otherwise a per-process memory cache,
which is still never stale. A cache that is down costs speed, never a page:
errors are logged and the page is rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from portal.compression import StoredPage

logger = logging.getLogger(__name__)

CACHE_ALIAS = "default"
# With Redis as the default, a per-process cache in front of it (see settings).
LOCAL_ALIAS = "local"
# Entries are never stale (the key changes instead), so the timeout only
# returns memory held by pages of superseded versions.
PAGE_TIMEOUT = 24 * 60 * 60
# A Last-Modified within the same second as a change could hide that change
# from a client that revalidates by date alone, so a date is only sent once it
# is this far in the past; until then the ETag alone validates.
LAST_MODIFIED_SETTLE = dt.timedelta(seconds=2)
_RELEASE_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".svg", ".json"}


@dataclass(frozen=True)
class PageVersion:
    """What a cached page depends on, read once per request."""

    token: str
    last_modified: dt.datetime | None


@functools.cache
def release() -> tuple[str, dt.datetime]:
    """A hash of the code that renders pages (this project's templates, static
    files and apps, and the Django version), and the time it last changed."""
    base = Path(settings.BASE_DIR).resolve()
    environment = Path(sys.prefix).resolve()
    roots = [base / "templates", base / "static"]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and not path.is_relative_to(environment):
            roots.append(path)
    digest = hashlib.sha256(django.get_version().encode())
    newest = 0.0
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in _RELEASE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
                newest = max(newest, path.stat().st_mtime)
    return digest.hexdigest()[:16], dt.datetime.fromtimestamp(newest, tz=dt.UTC)


def page_version(request, kwargs, version_of) -> PageVersion:
    """The version of the page a request asks for, with the code release folded
    in; read once per request."""
    version = getattr(request, "_page_version", None)
    if version is None:
        content = version_of(request, kwargs)
        code, released = release()
        token = hashlib.sha256(f"{code}|{content.token}".encode()).hexdigest()[:32]
        modified = content.last_modified
        if modified is not None:
            modified = max(modified, released)
            if modified > timezone.now() - LAST_MODIFIED_SETTLE:
                modified = None
        version = request._page_version = PageVersion(token=token, last_modified=modified)
    return version


def _is_shareable(request, response) -> bool:
    """Only responses that are the same for everyone may be stored: a 200 to GET
    that sets no cookie, did not touch the session (so it cannot depend on who
    is logged in), did not use a CSRF token, and varies on nothing the key
    does not hold."""
    session = getattr(request, "session", None)
    cache_control = response.get("Cache-Control", "")
    varies = {field.strip().lower() for field in response.get("Vary", "").split(",") if field}
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and varies <= _KEYED_VARY
        and not (session is not None and session.accessed)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


# What the key (language) and the stored variants (encoding) already cover.
_KEYED_VARY = {"accept-language", "accept-encoding"}


def _page_key(request, version: PageVersion) -> str:
    url = hashlib.md5(request.build_absolute_uri().encode("ascii"), usedforsecurity=False)
    language = translation.get_language_from_request(request)
    return f"page.{version.token}.{language}.{url.hexdigest()}"


def tolerant_call(method, *args, fallback="page cache unavailable; rendering without it"):
    """A cache call whose failure costs speed, never a page: logged, then None."""
    try:
        return method(*args)
    except Exception:
        logger.warning(fallback, exc_info=True)
        return None


def _tiers() -> list:
    """The caches to read, nearest first: the process's own, then the shared one."""
    shared = caches[CACHE_ALIAS]
    if LOCAL_ALIAS in settings.CACHES:
        return [caches[LOCAL_ALIAS], shared]
    return [shared]


def _read(key: str):
    tiers = _tiers()
    for depth, cache in enumerate(tiers):
        entry = tolerant_call(cache.get, key)
        if entry is not None:
            for nearer in tiers[:depth]:
                tolerant_call(nearer.set, key, entry, PAGE_TIMEOUT)
            return entry
    return None


def _store(key: str, entry: StoredPage) -> None:
    if entry.size > settings.PAGE_CACHE_MAX_BYTES:
        return  # one key never holds more than this; such a page is rendered each time
    for cache in _tiers():
        tolerant_call(cache.set, key, entry, PAGE_TIMEOUT)


# --- what a view declares ---------------------------------------------------------------


@dataclass(frozen=True)
class PagePolicy:
    """How a public view is cached: what its content version is read from, and
    which query parameters it reads."""

    version_of: Callable
    params: tuple[str, ...] = ()


def cache_public_page(version_of, *, params: tuple[str, ...] = ()):
    """Mark a view as a public page that `PageCacheMiddleware` serves from the
    cache, keyed by URL and the content version `version_of(request, kwargs)`
    reads, with ETag/Last-Modified from that version (304 for repeat visitors).

    `params` names the query parameters the page reads, in the order its links
    write them. Any other parameter (`?utm_source=…`, a typo, a cache-busting
    counter) is dropped before the view sees the request, and the rest put in
    that order: such a URL is answered with the canonical page, from the
    canonical page's cache entry, and can never fill the cache with copies."""

    def decorator(view):
        view.page_policy = PagePolicy(version_of, tuple(params))
        return view

    return decorator


def _keep_only(request, params: tuple[str, ...]) -> None:
    order = {name: index for index, name in enumerate(params)}
    given = [(name, value) for name, values in request.GET.lists() for value in values]
    # sorted() is stable: the values of one parameter keep their order.
    kept = sorted(((n, v) for n, v in given if n in order), key=lambda pair: order[pair[0]])
    if kept != given:
        query = urlencode(kept)
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


# --- the middleware ---------------------------------------------------------------------


class PageCacheMiddleware:
    """Answer public pages from the cache before the work they do not need.

    It sits below the middleware that adds security headers and the CSP (so a
    cached page leaves with exactly the headers of a fresh one) and above
    sessions, authentication, messages, CSRF and the view: a hit costs the
    version read and one cache lookup. Only anonymous requests are served from
    the cache: a request carrying a session cookie (staff) always goes through
    the whole stack and its answers are never stored. Compressed copies are made
    once, when a page is stored, and served by what the client accepts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        policy, kwargs = self._policy(request)
        if policy is None:
            return self.get_response(request)
        _keep_only(request, policy.params)
        version = page_version(request, kwargs, policy.version_of)
        key = _page_key(request, version)
        entry = _read(key)
        if entry is None:
            response = self.get_response(request)
            if not _is_shareable(request, response):
                return response
            entry = StoredPage.from_response(response, version)
            _store(key, entry)
        return entry.respond(request)

    @staticmethod
    def _policy(request) -> tuple[PagePolicy | None, dict]:
        if request.method not in ("GET", "HEAD"):
            return None, {}
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None, {}
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None, {}
        return getattr(match.func, "page_policy", None), match.kwargs
