"""Rows as they were: the values of tracked objects at a moment, and writing
such values back.

A state maps (model, primary key) to the object's field values, or to None
when the object must not exist. `as_of` reads one from the historical rows;
`apply` makes the database match it, children last when deleting and parents
first when creating, through ordinary saves and deletes, so the write is itself
recorded (one change set), bumps the plan versions and refreshes search text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import ProtectedError, Q

from contacts.models import ContactDesk
from history.context import record_bulk, record_deleted, scope
from programs.models import Eligibility, Plan, Program, ProgramContact, Section, SupportArea
from programs.versions import bumps_coalesced
from schedules.models import Milestone

ProgramEligibility = Program.eligibility.through

# Parents before children: creates run in this order, deletes in reverse.
ORDER = [
    Plan,
    Section,
    SupportArea,
    Eligibility,
    ContactDesk,
    Program,
    ProgramEligibility,
    ProgramContact,
    Milestone,
]
EPSILON = dt.timedelta(microseconds=1)

State = dict  # {(model, pk): values dict | None}


def pk_name(model) -> str:
    return model._meta.pk.attname


def history_of(model):
    return model.history.model


def values_of(row) -> dict:
    """A historical row's tracked values, as the model's own attributes."""
    return {field.attname: getattr(row, field.attname) for field in row.tracked_fields}


def key_of(row) -> tuple:
    model = row.instance_type
    return model, getattr(row, pk_name(model))


def ordered(rows) -> list:
    return sorted(rows, key=lambda row: (row.history_date, row.history_id))


def as_of(model, condition: Q, moment) -> State:
    """Every object of `model` whose historical rows match `condition`, as it
    stood at `moment` (None: not yet created, or deleted by then)."""
    rows = history_of(model).objects.filter(condition).order_by("history_date", "history_id")
    return fold(rows, moment)


def fold(rows, moment) -> State:
    """Historical rows in order, folded into each object's state at `moment`."""
    state: State = {}
    for row in rows:
        key = key_of(row)
        if row.history_date <= moment:
            state[key] = None if row.history_type == "-" else values_of(row)
        else:
            state.setdefault(key, None)
    return state


@dataclass
class Applied:
    created: int = 0
    changed: int = 0
    deleted: int = 0
    kept: list[str] = field(default_factory=list)  # could not be deleted: still in use


def _differs(obj, values: dict) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


def apply(state: State, *, reason: str, user=None) -> Applied:
    """Make the database match `state`, recorded as one change."""
    by_model = defaultdict(dict)
    for (model, pk), values in state.items():
        by_model[model][pk] = values
    applied = Applied()
    with transaction.atomic(), bumps_coalesced(), scope(reason, user=user):
        for model in reversed(ORDER):
            _delete(model, [pk for pk, v in by_model[model].items() if v is None], applied)
        for model in ORDER:
            _upsert(model, {pk: v for pk, v in by_model[model].items() if v is not None}, applied)
    return applied


def _delete(model, pks, applied: Applied) -> None:
    for obj in model._base_manager.filter(pk__in=pks):
        try:
            with transaction.atomic():
                if model._meta.auto_created:  # no delete signal for a tag row
                    record_deleted(model, [obj])
                obj.delete()
        except ProtectedError:
            applied.kept.append(describe_object(model, obj))
        else:
            applied.deleted += 1


def _upsert(model, wanted: dict, applied: Applied) -> None:
    existing = model._base_manager.in_bulk(list(wanted))
    for pk, values in wanted.items():
        obj = existing.get(pk)
        if obj is None:
            obj = model(**values)
            obj.save(force_insert=True)
            applied.created += 1
        elif _differs(obj, values):
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
            applied.changed += 1
        else:
            continue
        if model._meta.auto_created:  # no save signal for a tag row
            record_bulk(model, [obj], update=pk in existing)


def describe_object(model, obj) -> str:
    """ "사업 ‘유통채널 입점지원’" — an object named as staff know it."""
    label = model._meta.verbose_name
    if model is ProgramEligibility:
        return f"지원대상 유형 연결 (사업 번호 {obj.program_id})"
    if model is ProgramContact:
        return f"{label} (사업 번호 {obj.program_id}, 문의처 번호 {obj.desk_id})"
    return f"{label} ‘{obj}’"
