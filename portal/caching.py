"""Whole-page caching for the public pages that is never stale.

The portal is read far more than it is written, so every public page (home,
catalogue with any query string, detail, calendar, month view, the open-data
exports and the iCalendar feeds) is served from a cache once rendered. A cached
page is never stale because its cache key — and its ETag — is derived from
everything the page can show:

- **the content version of the plan year it shows.** ``Plan.version`` and
  ``Plan.updated_at`` change on every write to that year (``portal.signals``
  bumps them on admin saves and deletes; the importer calls
  ``Plan.objects.filter(...).bump_version()`` after its bulk writes). The
  version lives in the database, so every gunicorn worker and every app server
  reads the same one: a per-process cache can never serve a page another
  process has changed. ``updated_at`` is part of the key too, so a plan that is
  deleted and created again, or saved from a stale copy, never reuses a key.
- **the set of plan years**, because every page may offer the other years.
- **today's date in Seoul**, because pages mark "this month" and "opens next".
- **the code release** (a hash of the templates, static files and Python of the
  project's apps), so a deploy never serves pages rendered by the old code.

"Exactly what it changed" — what a write invalidates:

- A change to a program, its milestones, its contact links or eligibility tags,
  its support area or section invalidates the pages of **that program's year
  only**: a change to 2019 does not evict 2020's pages.
- A change to a contact desk invalidates **every year whose programs use it**.
- A change to the eligibility vocabulary (a filter option on every page), or
  creating or deleting a plan (the list of years on every page), invalidates
  every year.

Which year a request shows: the ``year`` URL argument (month view); the year of
program ``pk`` (detail pages, per-program feeds); the ``year`` query parameter
(catalogue, calendar, exports); without one, the latest plan year, as
``programs.filters.ProgramFilter`` decides. Anything else (an unparsable,
repeated or unknown ``year`` — the views then fall back to the latest plan —, a
program that does not exist, unknown URL arguments) depends on every year,
which is always safe.

Reading all this costs one small query per request (the plan rows, a handful;
for a detail page with the program's year looked up by primary keys). The
same values give ``ETag`` and ``Last-Modified``, and Django's ``condition``
decorator answers ``If-None-Match``/``If-Modified-Since`` with 304 before the
cache or the view is touched. The cache key is the version, the language and
the full URL (scheme, host, path and query string): one cache read per hit.

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
from dataclasses import dataclass
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.db.models import Subquery
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

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


def _shown_year(request, kwargs) -> int | bool | None:
    """The plan year a page shows: an int, None for "the latest", or False when
    it cannot be told (then the page depends on every year)."""
    if set(kwargs) - {"year", "month", "pk"}:
        return False
    if "year" in kwargs:
        return _as_year(kwargs["year"])
    values = request.GET.getlist("year")
    if not values or values == [""]:
        return None
    return _as_year(values[0]) if len(values) == 1 else False


def _as_year(value) -> int | bool:
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else False


# Program ids beyond a 64-bit integer cannot exist, and SQLite refuses them.
_MAX_ID = 2**63 - 1


_ANY_ID = 8_642_097_531  # stands for the program id while the SQL is compiled


@functools.cache
def _version_sql(alias: str, for_program: bool) -> tuple[str, tuple, int | None]:
    """The version read, compiled by the ORM once per process: it runs on every
    request, and compiling the queryset each time cost more than running it.
    Returns the SQL, its parameters, and where the program id goes in them."""
    from programs.models import Plan, Program, SupportArea

    columns = ["year", "version", "updated_at"]
    if for_program:
        # Two primary-key lookups, planned in a fraction of a join's time.
        area = Program.objects.filter(pk=_ANY_ID).order_by().values("area_id")
        year = SupportArea.objects.filter(pk=Subquery(area)).order_by().values("plan_id")
        columns.append(Subquery(year))
    query = Plan.objects.using(alias).order_by().values_list(*columns).query
    sql, params = query.sql_with_params()
    return sql, tuple(params), list(params).index(_ANY_ID) if for_program else None


def _plan_rows(program_id: int | None) -> list[tuple[int, int, dt.datetime, bool]]:
    """(year, version, updated_at, holds the program) for every plan, in one query."""
    from programs.models import Plan

    alias = router.db_for_read(Plan)
    sql, params, slot = _version_sql(alias, program_id is not None)
    if slot is not None:
        params = (*params[:slot], program_id, *params[slot + 1 :])
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return sorted(
        (year, version, _aware(updated), bool(program_year) and program_year[0] == year)
        for year, version, updated, *program_year in rows
    )


def _aware(value) -> dt.datetime:
    # Raw rows skip the ORM's converters: SQLite hands back text in UTC.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


def _read_version(request, kwargs) -> PageVersion:
    if "pk" in kwargs and "year" not in kwargs:
        pk = int(kwargs["pk"])
        rows = _plan_rows(pk if 0 < pk <= _MAX_ID else -1)
        scope = [row for row in rows if row[3]] or rows
    else:
        rows = _plan_rows(None)
        year = _shown_year(request, kwargs)
        # A year without a plan may be shown as another year (the views fall
        # back to the latest plan), so it depends on every year.
        scope = rows[-1:] if year is None else [row for row in rows if row[0] == year] or rows

    code, released = release()
    today = timezone.localdate()
    parts = [
        code,
        today.isoformat(),
        ",".join(str(row[0]) for row in rows),
        *(f"{year}:{version}:{updated.timestamp()}" for year, version, updated, _ in scope),
    ]
    token = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    modified = max([released, midnight, *(row[2] for row in scope)])
    if modified > timezone.now() - LAST_MODIFIED_SETTLE:
        modified = None
    return PageVersion(token=token, last_modified=modified)


def page_version(request, kwargs) -> PageVersion:
    """The version of the page a request asks for; read once per request."""
    version = getattr(request, "_page_version", None)
    if version is None:
        version = request._page_version = _read_version(request, kwargs)
    return version


def _etag(request, *args, **kwargs) -> str:
    return page_version(request, kwargs).token


def _last_modified(request, *args, **kwargs) -> dt.datetime | None:
    return page_version(request, kwargs).last_modified


def _is_shareable(request, response) -> bool:
    """Only responses that are the same for everyone may be stored."""
    session = getattr(request, "session", None)
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The key holds the URL and the language only; a view that varies on
        # more (or on who is asking) is not stored.
        and not response.has_header("Vary")
        and not (session is not None and session.accessed)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _page_key(request, version: PageVersion) -> str:
    url = hashlib.md5(request.build_absolute_uri().encode("ascii"), usedforsecurity=False)
    return f"page.{version.token}.{translation.get_language()}.{url.hexdigest()}"


def _cache_call(method, *args):
    try:
        return method(*args)
    except Exception:
        logger.warning("page cache unavailable; rendering without it", exc_info=True)
        return None


def _tiers() -> list:
    """The caches to read, nearest first: the process's own, then the shared one."""
    shared = caches[CACHE_ALIAS]
    if LOCAL_ALIAS in settings.CACHES:
        return [caches[LOCAL_ALIAS], shared]
    return [shared]


def cache_public_page(view):
    """Serve a public page from the cache, keyed by URL and content version,
    with ETag/Last-Modified from that version (304 for repeat visitors)."""

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        tiers = _tiers()
        key = _page_key(request, page_version(request, kwargs))
        for depth, cache in enumerate(tiers):
            response = _cache_call(cache.get, key)
            if response is not None:
                for nearer in tiers[:depth]:
                    _cache_call(nearer.set, key, response, PAGE_TIMEOUT)
                return response

        response = view(request, *args, **kwargs)
        if not _is_shareable(request, response):
            return response
        # Browsers and proxies may keep the page but must ask again each time;
        # the ETag makes that question cost a 304.
        patch_cache_control(response, no_cache=True)

        def store(response):
            for cache in tiers:
                _cache_call(cache.set, key, response, PAGE_TIMEOUT)

        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response.add_post_render_callback(store)
        else:
            store(response)
        return response

    return condition(etag_func=_etag, last_modified_func=_last_modified)(cached_view)
