"""Who keeps a record of the writes made in bulk, if anyone, and what the
bulk writers (the importer, the rollover) tell them.

Bulk writes send no signals. An app that keeps a record of changes (the
history app) connects a listener here from its `ready()`; programs itself
keeps none and never imports that app. A bulk writer wraps its work in
`import_run(report, prune=...)` (an import) or `change(reason)` (anything
else), reports each bulk write with `written(objects, update=...)`, and names
a queryset it is about to delete with `deleting(queryset)` (Django's delete
signals cover most rows, but not those of an auto-created m2m table).

A listener has:
    import_run(report, *, prune) -> a context manager around a whole import
        (entered inside its transaction; on a clean exit `report` holds the counts);
    change(reason) -> a context manager around any other bulk change;
    written(objects, *, update) -> None: rows just created or updated in bulk;
    deleting(queryset) -> None: rows about to be deleted.
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager

_listeners: list = []


def connect(listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def disconnect(listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


@contextmanager
def import_run(report, *, prune: bool):
    with ExitStack() as stack:
        for listener in list(_listeners):
            stack.enter_context(listener.import_run(report, prune=prune))
        yield


@contextmanager
def change(reason: str):
    with ExitStack() as stack:
        for listener in list(_listeners):
            stack.enter_context(listener.change(reason))
        yield


def written(objects, *, update: bool = False):
    """Tell the listeners about rows just written in bulk; returns `objects`,
    so a call can wrap the `bulk_create` that made them."""
    for listener in _listeners:
        listener.written(objects, update=update)
    return objects


def deleting(queryset):
    """Tell the listeners which rows are about to be deleted; returns `queryset`."""
    for listener in _listeners:
        listener.deleting(queryset)
    return queryset
