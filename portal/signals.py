"""Bump the plan content version on every write the admin (or any ORM save)
makes, so cached pages of the affected years are never served again.

What each write invalidates is described in ``portal.caching``. Bumps run after
the write, inside the same transaction when there is one (the admin wraps every
save in one), so no request can read a new version together with old data.

Bulk writes (``QuerySet.update``, ``bulk_create``) fire no signals: code that
uses them calls ``Plan.objects.filter(...).bump_version()`` itself, as the
importer does. Code that saves many objects one by one can wrap the work in
``bumps_coalesced()`` to turn hundreds of bumps into one UPDATE.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from contextlib import contextmanager
from functools import reduce
from operator import or_

from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from contacts.models import ContactDesk
from programs.models import Eligibility, Plan, Program, ProgramContact, Section, SupportArea
from schedules.models import Milestone

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
    instance._portal_previous_year_key = (
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
    previous = instance.__dict__.pop("_portal_previous_year_key", None)
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
        instance._portal_cleared_programs = set(instance.programs.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"}:
        _touch("program", pk_set or ())
    elif action == "post_clear":
        _touch("program", instance.__dict__.pop("_portal_cleared_programs", ()))


def connect() -> None:
    for model in _YEAR_FIELD:
        uid = f"portal.cache_version.{model._meta.label}"
        pre_save.connect(_remember_previous_year, sender=model, dispatch_uid=uid)
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
    pre_save.connect(_keep_plan_version, sender=Plan, dispatch_uid="portal.keep_plan_version")
    for signal in (post_save, post_delete):
        signal.connect(_vocabulary_changed, sender=Eligibility, dispatch_uid="portal.vocabulary")
    for through in (Program.eligibility.through, Program.contacts.through):
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"portal.links.{through._meta.label}"
        )
