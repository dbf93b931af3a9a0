"""Backups of the whole site, and restoring one into an empty database.

A backup is one archive, `portal-YYYYmmdd-HHMMSS.tar.gz`, holding:

- `database.dump` (PostgreSQL: `pg_dump` in its custom format, one snapshot of
  the database however busy it is) or `database.sqlite3` (SQLite: its online
  backup API, a consistent copy while the site keeps running);
- `media/`: the uploaded files (MEDIA_ROOT), when there are any;
- `manifest.json`: which database, when, and the database file's SHA-256, so a
  damaged archive is refused before anything is written.

The archive is written under a temporary name and renamed when complete, so a
backup cut short never looks like a good one. Restoring refuses a database
that already has tables: a backup goes into a new, empty database, never over
live data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from programs.models import PLAN_VERSIONS_STAMP

PREFIX = "portal-"
SUFFIX = ".tar.gz"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupFailed(Exception):
    """Nothing usable was written (or restored); the message says why, in Korean."""


@dataclass
class Manifest:
    engine: str
    created: str
    database: str
    sha256: str
    media: bool

    @property
    def engine_name(self) -> str:
        return ENGINE_NAMES.get(self.engine, self.engine)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _client(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise BackupFailed(
            f"{program}가 없습니다 (expected PostgreSQL 클라이언트: "
            "apt-get install postgresql-client, 서버와 같거나 새 버전)"
        )
    return found


def _pg_arguments() -> tuple[list[str], dict]:
    """Connection options for pg_dump/pg_restore, and the environment with the password."""
    db = connection.settings_dict
    arguments = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            arguments += [option, str(db[key])]
    environment = dict(os.environ)
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = db["PASSWORD"]
    return [*arguments, "--dbname", db["NAME"]], environment


def _run(command: list[str], environment: dict, what: str) -> None:
    # The program is pg_dump or pg_restore, found on PATH; the arguments come from settings.
    result = subprocess.run(  # noqa: S603
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupFailed(f"{what}에 실패했습니다: {result.stderr.strip() or result.returncode}")


def _dump_database(target: Path) -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            # The online backup would wait forever for this connection's own write lock.
            raise BackupFailed("SQLite는 열린 트랜잭션 안에서 백업할 수 없습니다")
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    elif connection.vendor == "postgresql":
        arguments, environment = _pg_arguments()
        command = [_client("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
        _run([*command, "--file", str(target), *arguments], environment, "pg_dump")
    else:
        raise BackupFailed(f"{connection.vendor} 데이터베이스는 백업할 수 없습니다")


def _media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    if not root:
        return None
    root = Path(root)
    return root if root.is_dir() and any(root.iterdir()) else None


def backup(directory: Path, *, keep: int | None = None) -> Path:
    """Write a backup archive into `directory`; keep the newest `keep` there."""
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.localtime()
    archive = directory / f"{PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}"
    if archive.exists():
        archive = directory / f"{PREFIX}{now:%Y%m%d-%H%M%S-%f}{SUFFIX}"
    with tempfile.TemporaryDirectory(dir=directory) as work:
        database = Path(work) / DATABASE_FILES.get(connection.vendor, "database")
        _dump_database(database)
        media = _media_root()
        manifest = Manifest(
            engine=connection.vendor,
            created=now.isoformat(timespec="seconds"),
            database=database.name,
            sha256=_sha256(database),
            media=media is not None,
        )
        (Path(work) / "manifest.json").write_text(json.dumps(manifest.__dict__, indent=2))
        partial = Path(work) / "archive.partial"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(Path(work) / "manifest.json", arcname="manifest.json")
            tar.add(database, arcname=database.name)
            if media is not None:
                tar.add(media, arcname="media")
        os.replace(partial, archive)
    if keep:
        prune(directory, keep)
    return archive


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `directory`."""
    archives = sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))
    gone = archives[:-keep] if len(archives) > keep else []
    for path in gone:
        path.unlink()
    return gone


def _extract(archive: Path, work: Path) -> Manifest:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # Only plain files and folders inside `work`: an archive cannot
            # write elsewhere, link to files, or make devices.
            tar.extractall(work, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupFailed(f"{archive.name}: 백업 파일을 읽을 수 없습니다: {exc}") from None
    try:
        fields = json.loads((work / "manifest.json").read_text())
        manifest = Manifest(**fields)
    except (OSError, ValueError, TypeError) as exc:
        raise BackupFailed(f"{archive.name}: manifest.json이 없거나 잘못됨: {exc}") from None
    database = work / Path(manifest.database).name
    if not database.is_file() or _sha256(database) != manifest.sha256:
        raise BackupFailed(
            f"{archive.name}: {manifest.database}가 없거나 손상되었습니다 (SHA-256이 다릅니다)"
        )
    return manifest


def _check_empty(manifest: Manifest) -> None:
    if manifest.engine != connection.vendor:
        raise BackupFailed(
            f"{manifest.engine_name} 백업은 {ENGINE_NAMES.get(connection.vendor)} 데이터베이스에 "
            f"복원할 수 없습니다 (expected DATABASE_URL이 {manifest.engine_name}를 가리킴)"
        )
    tables = connection.introspection.table_names()
    if tables:
        shown = ", ".join(sorted(tables)[:3])
        raise BackupFailed(
            f"데이터베이스 {connection.settings_dict['NAME']}가 비어 있지 않습니다: 표 "
            f"{len(tables)}개({shown} …)가 있습니다. 아무것도 바꾸지 않았습니다 "
            "(expected 새로 만든 빈 데이터베이스, migrate 하기 전)"
        )


def restore(archive: Path) -> Manifest:
    """Restore the archive into the (empty) database and MEDIA_ROOT."""
    if not archive.is_file():
        raise BackupFailed(f"{archive}: 파일이 없습니다 (expected make backup이 만든 .tar.gz)")
    with tempfile.TemporaryDirectory() as work:
        manifest = _extract(archive, Path(work))
        _check_empty(manifest)
        database = Path(work) / Path(manifest.database).name
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            source = sqlite3.connect(database)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            arguments, environment = _pg_arguments()
            command = [_client("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
            _run([*command, "--single-transaction", *arguments, str(database)], environment,
                 "pg_restore")  # fmt: skip
        media = Path(work) / "media"
        if manifest.media and media.is_dir():
            shutil.copytree(media, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    # The restore wrote below the ORM: running servers read plan versions again.
    PLAN_VERSIONS_STAMP.changed()
    return manifest


def created_at(manifest: Manifest) -> dt.datetime:
    return dt.datetime.fromisoformat(manifest.created)
