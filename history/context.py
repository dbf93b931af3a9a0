"""Who and what a historical row belongs to.

A change made by one hand (one admin save, one import run, one restore) gets
one `change_set`, so its rows read back as one version: the program's fields
and its milestones, desks and tags as they were after it. Inside `scope(...)`
every row written is stamped with the scope's change set, user, reason and
import run; in a request without a scope, rows share the request's change set
and simple-history takes the user from the request (HistoryRequestMiddleware).
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from asgiref.local import Local
from django.conf import settings
from django.db import connections, router
from django.utils import timezone
from simple_history.models import HistoricalRecords

_local = Local()
REASON_LENGTH = 100  # simple-history's history_change_reason column


@dataclass
class Scope:
    reason: str = ""
    user: object | None = None
    run: object | None = None
    change_set: uuid.UUID = field(default_factory=uuid.uuid4)


def current() -> Scope | None:
    return getattr(_local, "scope", None)


@contextmanager
def scope(reason: str = "", *, user=None, run=None, change_set: uuid.UUID | None = None):
    """Stamp every historical row written inside with one change set."""
    outer = current()
    if outer is not None:
        yield outer  # already inside one: the outermost change is the version
        return
    _local.scope = Scope(
        reason=reason[:REASON_LENGTH],
        user=user if user is not None and user.is_authenticated else None,
        run=run,
        change_set=change_set or uuid.uuid4(),
    )
    try:
        yield _local.scope
    finally:
        _local.scope = None


def _request():
    return getattr(HistoricalRecords.context, "request", None)


def stamp() -> dict:
    """The columns of a row written now: change set, import run, reason, user."""
    found = current()
    if found is not None:
        if found.run is not None and found.run.pk is None:
            found.run.save()  # the run's first row: it needs the run's number
            found.reason = f"가져오기 #{found.run.pk}: {found.run.file_name}"[:REASON_LENGTH]
        return {
            "change_set": found.change_set,
            "import_run": found.run,
            "history_change_reason": found.reason or None,
            "history_user": found.user,
        }
    request = _request()
    if request is not None:
        return {"change_set": request.__dict__.setdefault("_history_change_set", uuid.uuid4())}
    return {}


def stamp_row(sender, history_instance, **kwargs):
    """pre_create_historical_record: rows written one by one (saves, deletes)."""
    given_reason = history_instance.history_change_reason
    for name, value in stamp().items():
        if value is None or (name == "history_change_reason" and given_reason):
            continue  # a reason given for this very save wins; simple-history found the user
        setattr(history_instance, name, value)


def record_bulk(model, objs, *, update: bool) -> None:
    """Historical rows for objects just created or updated in bulk (no signals)."""
    copy_rows(model, [obj.pk for obj in objs], "~" if update else "+")


def record_deleted(model, objs) -> None:
    """Deletion rows for objects about to go without a signal: Django sends none
    for the rows of an auto-created many-to-many table (a program's tags)."""
    copy_rows(model, [obj.pk for obj in objs], "-")


def copy_rows(model, pks, kind: str) -> None:
    """Copy these rows, as stored, into the model's historical table: one
    INSERT … SELECT per chunk, so the database copies them. (simple-history's
    `bulk_history_create` builds a model instance per row first, which made a
    first import of 2,200 programs and their 20,000 rows twice as slow.)"""
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return  # simple-history's own switch turns these rows off too
    history = model.history.model
    values = stamp()
    if values.get("history_user") is None:
        request = _request()
        user = getattr(request, "user", None)
        values["history_user"] = user if user is not None and user.is_authenticated else None
    stamped = {
        "history_date": timezone.now(),
        "history_type": kind,
        "history_user": values["history_user"].pk if values["history_user"] else None,
        "history_change_reason": values.get("history_change_reason"),
        "change_set": values.get("change_set"),
        "import_run": values["import_run"].pk if values.get("import_run") else None,
    }
    connection = connections[router.db_for_write(history)]
    quote = connection.ops.quote_name
    fields = [history._meta.get_field(name) for name in stamped]
    params = [f.get_db_prep_save(stamped[f.name], connection) for f in fields]
    copied = [quote(field.column) for field in history.tracked_fields]
    target = ", ".join([*copied, *(quote(field.column) for field in fields)])
    source = ", ".join([*copied, *(["%s"] * len(fields))])
    key = quote(model._meta.pk.column)
    pks = list(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({target}) "  # noqa: S608
                f"SELECT {source} FROM {quote(model._meta.db_table)} "
                f"WHERE {key} IN ({', '.join(['%s'] * len(chunk))})",
                [*params, *chunk],
            )
