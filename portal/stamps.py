"""Content stamps: how every process hears that another one wrote.

Reading a page's content version is a database query, and that query is most of
what a cache hit costs. The app that owns the data names it
(``ContentStamp("plans")``), calls ``changed()`` on every write, and reads its
versions through ``memoised(key, read)``. ``changed()`` gives the stamp a new
random value where every process of the site can read it, at once and again
when the write's transaction commits; ``memoised`` reads the stamp and answers
from the process's own copy while the stamp is the one the copy was read under.

Where the stamp lives, first that applies: in ``STAMP_DIR`` when the operator
set it, saying every process of the site runs on this machine (a file read);
beside a SQLite database (every process that can write one runs on its
machine); in Redis when the page cache is there (``REDIS_URL``, several app
servers: one round trip, a fraction of a query). With none of them (PostgreSQL
and a per-process cache, which cannot hear of other processes' writes), or with
Redis unreachable, every call reads the database.

Never stale: the stamp is read before the database, so a write that commits
after that read replaces the stamp after it, and the next request reads again.
A stamp is random and never reused, so one that is lost (Redis evicted or
flushed it, a new server) is replaced by a fresh one, never by one a process
has already seen. ``MAX_AGE`` bounds what a write made outside Django (SQL typed
by hand) can hide, and what a stamp Redis failed to store can.
"""

from __future__ import annotations

import functools
import logging
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import connections, transaction
from django.dispatch import receiver

from portal.caching import tolerant_call

logger = logging.getLogger(__name__)

# Cache backends each process keeps to itself: a stamp there reaches no other process.
_PROCESS_BACKENDS = ("LocMemCache", "DummyCache")


class ContentStamp:
    """One kind of data's stamp, and what this process read under it."""

    MAX_AGE = 10.0  # seconds
    MAX_ENTRIES = 4096

    def __init__(self, name: str):
        self.key = f"stamp.{name}"
        self._memo: tuple[str | None, float, dict] = (None, 0.0, {})

    def memoised(self, key, read: Callable):
        """`read()`, or what it returned in this process under the current stamp."""
        store = _store()
        stamp = store.current(self.key) if store else None
        if stamp is None:
            return read()
        seen, born, values = self._memo
        if stamp != seen or time.monotonic() - born > self.MAX_AGE:
            values = {}
            self._memo = (stamp, time.monotonic(), values)
        try:
            return values[key]
        except KeyError:
            value = read()
            if len(values) < self.MAX_ENTRIES:  # keys a visitor makes up cannot fill memory
                values[key] = value
            return value

    def forget(self) -> None:
        """Drop what this process read: its next call reads the database."""
        self._memo = (None, 0.0, {})

    def changed(self) -> None:
        """Call on every write to the data: later reads, in every process,
        read it again (from now, and once more when the transaction commits)."""
        self.forget()
        store = _store()
        if store is not None:
            store.renew(self.key)
            transaction.on_commit(lambda: store.renew(self.key), robust=True)


def _call(method, *args):
    return tolerant_call(method, *args, fallback="content stamps unavailable; reading the database")


class _CacheStamps:
    """Stamps in the shared cache (Redis)."""

    def current(self, key: str) -> str | None:
        cache = caches["default"]  # per thread, as Django hands out cache clients
        stamp = _call(cache.get, key)
        if stamp is None:
            # Lost or never set: a fresh one, unless another process just made one.
            _call(cache.add, key, secrets.token_hex(16), None)
            stamp = _call(cache.get, key)
        return stamp

    def renew(self, key: str) -> None:
        _call(caches["default"].set, key, secrets.token_hex(16), None)


class _FileStamps:
    """Stamps in files beside a SQLite database, replaced whole (rename is atomic)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def current(self, key: str) -> str | None:
        path = str(self.folder / key)
        for attempt in range(2):
            try:
                handle = os.open(path, os.O_RDONLY)
                try:
                    return os.read(handle, 64).decode()
                finally:
                    os.close(handle)
            except FileNotFoundError:
                if attempt == 0:
                    self.renew(key)  # lost or never made: a fresh one
            except OSError:
                break
        return None

    def renew(self, key: str) -> None:
        try:
            self.folder.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{key}.")
            with os.fdopen(handle, "w") as stamp:
                stamp.write(secrets.token_hex(16))
            os.replace(temporary, self.folder / key)
        except OSError:
            logger.warning("content stamps unavailable; reading the database", exc_info=True)


@functools.cache
def _store() -> _CacheStamps | _FileStamps | None:
    """Where stamps live (see the module's docstring); settled once per process."""
    if settings.STAMP_DIR:
        return _FileStamps(settings.STAMP_DIR)
    database = connections["default"]
    if database.vendor == "sqlite" and not database.is_in_memory_db():
        return _FileStamps(Path(f"{database.settings_dict['NAME']}.stamps"))
    if not settings.CACHES["default"]["BACKEND"].endswith(_PROCESS_BACKENDS):
        return _CacheStamps()
    return None


@receiver(setting_changed)
def _settle_again(setting, **kwargs):
    if setting in {"CACHES", "DATABASES", "STAMP_DIR"}:
        _store.cache_clear()
