"""The content version of each plan year: what a write invalidates, and the
version a public page is cached under.

Every public page shows one plan year (or every year), and is cached under a
token read from ``Plan.version`` and ``Plan.updated_at`` (see
``portal.caching``). Those change on every write to that year: the signal
handlers below bump them on admin saves and deletes; bulk writes (the importer)
call ``Plan.objects.filter(...).bump_version()`` themselves. The version lives
in the database, so every gunicorn worker and every app server reads the same
one: a per-process cache can never serve a page another process has changed.
``updated_at`` is part of the token too, so a plan that is deleted and created
again, or saved from a stale copy, never reuses a token.

What a write invalidates:

- A change to a program, its milestones, its contact links or eligibility tags,
  its support area or section invalidates the pages of **that program's year
  only**: a change to 2019 does not evict 2020's pages.
- A change to a contact desk invalidates **every year whose programs use it**.
- A change to the eligibility vocabulary (a filter option on every page), or
  creating or deleting a plan (the list of years on every page), invalidates
  every year.

Bumps run after the write, inside the same transaction when there is one (the
admin wraps every save in one), so no request can read a new version together
with old data. Code that saves many objects one by one can wrap the work in
``bumps_coalesced()`` to turn hundreds of bumps into one UPDATE.

Which year a request shows: the ``year`` URL argument (month view); the year of
program ``pk`` (detail pages, per-program feeds); the ``year`` query parameter
(catalogue, calendar, exports); without one, the latest plan year, as
``programs.filters.ProgramFilter`` decides. Anything else (an unparsable,
repeated or unknown ``year`` — the views then fall back to the latest plan —, a
program that does not exist, unknown URL arguments) depends on every year,
which is always safe. Pages also depend on **the set of published plan
years** (every page may offer the other years) and on **today's date in Seoul**
(pages mark "this month" and "opens next").

Only published years count: cached pages are anonymous ones, which never show
a draft (``programs.drafts``). A draft year asked for by name is an unknown
year here, and publishing one changes the set of years, so every page's token.

Reading all this costs one small query (the plan rows, a handful; for a detail
page with the program's year looked up by primary keys), and mostly not even
that: each process keeps what it read until ``Plan.bump_version`` tells every
process that plans changed (``PLAN_VERSIONS_STAMP``, a ``portal.stamps``
stamp in Redis or beside a SQLite database), so a cache hit costs one Redis
round trip or one small file read.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import threading
from collections import defaultdict
from contextlib import contextmanager
from functools import reduce
from operator import or_

from django.db import connections, router
from django.db.models import F, Q, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from contacts.models import ContactDesk
from portal.caching import PageVersion, cache_public_page
from programs.filters import FILTER_PARAMS, PAGE_PARAM
from programs.models import (
    PLAN_VERSIONS_STAMP,
    Eligibility,
    Plan,
    Program,
    ProgramContact,
    Section,
    SupportArea,
)
from schedules.models import Milestone


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
    columns = ["year", "version", "updated_at"]
    if for_program:
        # Two primary-key lookups, planned in a fraction of a join's time.
        area = Program.objects.filter(pk=_ANY_ID).order_by().values("area_id")
        year = SupportArea.objects.filter(pk=Subquery(area)).order_by().values("plan_id")
        columns.append(Subquery(year))
    # Draft years are nobody's business here: only anonymous pages are cached,
    # and those show published years only.
    plans = Plan.objects.using(alias).filter(state=Plan.State.PUBLISHED)
    query = plans.order_by().values_list(*columns).query
    sql, params = query.sql_with_params()
    return sql, tuple(params), list(params).index(_ANY_ID) if for_program else None


def _plan_rows(program_id: int | None) -> list[tuple[int, int, dt.datetime, bool]]:
    """(year, version, updated_at, holds the program) for every published plan,
    in one query."""
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


def plan_version(request, kwargs) -> PageVersion:
    """The content version of the plan year(s) a public page shows: read once
    per process while no process changes a plan (see ``PLAN_VERSIONS_STAMP``),
    else one query."""
    today = timezone.localdate()
    if "pk" in kwargs and "year" not in kwargs:
        pk = int(kwargs["pk"])
        scope = ("program", pk if 0 < pk <= _MAX_ID else -1)
    else:
        scope = ("year", _shown_year(request, kwargs))
    return PLAN_VERSIONS_STAMP.memoised((today, scope), lambda: _version(today, *scope))


def _version(today: dt.date, by: str, value) -> PageVersion:
    if by == "program":
        rows = _plan_rows(value)
        scope = [row for row in rows if row[3]] or rows
    else:
        rows = _plan_rows(None)
        # A year without a plan may be shown as another year (the views fall
        # back to the latest plan), so it depends on every year.
        scope = rows[-1:] if value is None else [row for row in rows if row[0] == value] or rows
    parts = [
        today.isoformat(),
        ",".join(str(row[0]) for row in rows),
        *(f"{year}:{version}:{updated.timestamp()}" for year, version, updated, _ in scope),
    ]
    token = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return PageVersion(token=token, last_modified=max([midnight, *(row[2] for row in scope)]))


# The query parameters a listing page (catalogue, calendar, month view, exports,
# feeds) reads; the cache drops any other.
LISTING_PARAMS = (*FILTER_PARAMS, PAGE_PARAM)


def cached_plan_page(*, params: tuple[str, ...] = ()):
    """Cache a public page of the plan under the version of the year it shows."""
    return cache_public_page(plan_version, params=params)


# --- what a write invalidates --------------------------------------------------
# Which plans a set of ids reaches, by what the ids are of.
_REACH = {
    "plan": lambda ids: Q(pk__in=ids),
    "area": lambda ids: Q(areas__in=ids),
    "program": lambda ids: Q(areas__programs__in=ids),
    "desk": lambda ids: Q(areas__programs__contact_links__desk__in=ids),
}
# For each tracked model: the field that decides which plan years a row
# belongs to, and what that field's value is the id of.
_YEAR_FIELD = {
    Plan: ("year", "plan"),
    Section: ("plan_id", "plan"),
    SupportArea: ("plan_id", "plan"),
    Program: ("area_id", "area"),
    Milestone: ("program_id", "program"),
    ProgramContact: ("program_id", "program"),
    ContactDesk: ("id", "desk"),
}
EVERY_YEAR = "every year"

_local = threading.local()


def _touch(reach: str, ids) -> None:
    """Bump the plans these ids (of plans, areas, programs or desks) reach."""
    ids = {value for value in ids if value is not None}
    if reach != EVERY_YEAR and not ids:
        return
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending[reach] |= ids
        return
    _bump({reach: ids})


def _bump(touched: dict) -> None:
    if EVERY_YEAR in touched:
        Plan.objects.all().bump_version()
        return
    reached = [_REACH[reach](ids) for reach, ids in touched.items() if ids]
    if reached:
        Plan.objects.filter(
            pk__in=Plan.objects.filter(reduce(or_, reached)).values("pk")
        ).bump_version()


@contextmanager
def bumps_coalesced():
    """Collect the bumps of many saves and run them as one UPDATE on exit.
    Use inside the caller's transaction: `with atomic(), bumps_coalesced(): ...`"""
    if getattr(_local, "pending", None) is not None:
        yield  # already collecting: the outermost block bumps
        return
    _local.pending = defaultdict(set)
    try:
        yield
        touched = _local.pending
    finally:
        _local.pending = None
    _bump(touched)


def _remember_previous_year(sender, instance, raw=False, **kwargs):
    """A row moved to another program, area or year leaves the old one changed too."""
    field, _ = _YEAR_FIELD[sender]
    if instance._state.adding or instance.pk is None or field == sender._meta.pk.attname:
        return
    instance._previous_year_key = (
        sender._base_manager.filter(pk=instance.pk).values_list(field, flat=True).first()
    )


def _keep_plan_version(sender, instance, **kwargs):
    """Never write back the version a Plan was loaded with: it may be behind."""
    if not instance._state.adding:
        instance.version = F("version")


def _saved(sender, instance, created=False, raw=False, **kwargs):
    field, reach = _YEAR_FIELD[sender]
    if sender is Plan:
        _touch(EVERY_YEAR if created else "plan", {instance.pk})
        if not created:
            instance.refresh_from_db(fields=["version", "updated_at"])
        return
    previous = instance.__dict__.pop("_previous_year_key", None)
    _touch(reach, {getattr(instance, field), previous})


def _deleted(sender, instance, **kwargs):
    if sender is Plan:
        _touch(EVERY_YEAR, ())
        return
    field, reach = _YEAR_FIELD[sender]
    _touch(reach, {getattr(instance, field)})


def _vocabulary_changed(sender, instance, **kwargs):
    _touch(EVERY_YEAR, ())


def _links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Program.eligibility and Program.contacts changed through the m2m API
    (the admin's eligibility widget; `program.contacts.add(desk)`)."""
    if not reverse:
        if action in {"post_add", "post_remove", "post_clear"}:
            _touch("area", {instance.area_id})
        return
    # From the other side (`tag.programs.add(...)`): pk_set are programs.
    if action == "pre_clear":
        instance._cleared_programs = set(instance.programs.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"}:
        _touch("program", pk_set or ())
    elif action == "post_clear":
        _touch("program", instance.__dict__.pop("_cleared_programs", ()))


def connect() -> None:
    for model in _YEAR_FIELD:
        uid = f"programs.versions.bump.{model._meta.label}"
        pre_save.connect(_remember_previous_year, sender=model, dispatch_uid=uid)
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
    pre_save.connect(
        _keep_plan_version, sender=Plan, dispatch_uid="programs.versions.keep_plan_version"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            _vocabulary_changed, sender=Eligibility, dispatch_uid="programs.versions.vocabulary"
        )
    for through in (Program.eligibility.through, Program.contacts.through):
        m2m_changed.connect(
            _links_changed,
            sender=through,
            dispatch_uid=f"programs.versions.links.{through._meta.label}",
        )
