"""The bench's child processes and scratch databases.

Scratch databases are SQLite files under tools/bench/out/, or PostgreSQL
databases named after BENCH_DATABASE_URL when that is set (dropped on exit)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from tools import server
from tools.bench.common import CACHE_PREFIX, OUT, SETTINGS_MODULE
from tools.server import HOST, ROOT


def bench_env() -> dict[str, str]:
    """What every bench process adds to the production environment."""
    return {
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "DJANGO_ALLOWED_HOSTS": f"{HOST},testserver",
        "DJANGO_CACHE_KEY_PREFIX": CACHE_PREFIX,
    }


def run(args: list[str], database_url: str, **extra: str) -> str:
    return _finished(args, database_url, extra).stdout


def timed(args: list[str], database_url: str, **extra: str) -> float:
    """Seconds from starting the process to its exit, start-up included."""
    started = time.perf_counter()
    _finished(args, database_url, extra)
    return time.perf_counter() - started


def _finished(args: list[str], database_url: str, extra: dict[str, str]):
    env = server.production_env(
        database_url, static_root=OUT / "static", **{**bench_env(), **extra}
    )
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(
            f"failed: {' '.join(args)}\n{result.stdout[-2000:]}{result.stderr[-4000:]}"
        )
    return result


def manage(database_url: str, *args: str) -> str:
    return run([server.PYTHON, "manage.py", *args], database_url)


def worker(database_url: str, *args: str, **extra: str):
    """One measurement in a fresh interpreter (tools/bench/worker.py): its JSON result."""
    out = run([server.PYTHON, "-m", "tools.bench.worker", *args], database_url, **extra)
    return json.loads(out.strip().splitlines()[-1])


class Databases:
    """A migrated template, copied for every scenario."""

    def __init__(self, pg_url: str | None):
        self.pg_url = pg_url
        self.created: list[str] = []
        self.template = self._url("template")

    def _url(self, name: str) -> str:
        if self.pg_url:
            base, _, db = self.pg_url.rpartition("/")
            return f"{base}/{db}_{name}"
        return f"sqlite:///{OUT / (name + '.sqlite3')}"

    def _admin(self):
        import psycopg

        base = self.pg_url.rpartition("/")[0]
        return psycopg.connect(f"{base}/postgres", autocommit=True)

    def _name(self, url: str) -> str:
        return url.rpartition("/")[2]

    def create_template(self) -> None:
        if self.pg_url:
            with self._admin() as pg:
                pg.execute(f'DROP DATABASE IF EXISTS "{self._name(self.template)}" WITH (FORCE)')
                pg.execute(f'CREATE DATABASE "{self._name(self.template)}"')
            self.created.append(self.template)
        manage(self.template, "migrate", "--noinput")
        if not self.pg_url:
            with sqlite3.connect(OUT / "template.sqlite3") as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def copy(self, name: str) -> str:
        url = self._url(name)
        if self.pg_url:
            with self._admin() as pg:
                pg.execute(f'DROP DATABASE IF EXISTS "{self._name(url)}" WITH (FORCE)')
                pg.execute(
                    f'CREATE DATABASE "{self._name(url)}" TEMPLATE "{self._name(self.template)}"'
                )
            self.created.append(url)
        else:
            target = OUT / f"{name}.sqlite3"
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(OUT / "template.sqlite3", target)
        return url

    def drop_all(self) -> None:
        if not self.pg_url:
            return
        with self._admin() as pg:
            for url in reversed(self.created):
                pg.execute(f'DROP DATABASE IF EXISTS "{self._name(url)}" WITH (FORCE)')
