"""The backup drill, on the kind of database the suite runs on: a site's
database backed up, restored into a new empty database, and the export of every
year compared; a restore never goes over a database that has tables."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from history.backup import prune

ROOT = Path(settings.BASE_DIR)
PLAN = ROOT / "fixtures" / "plan-2019.xlsx"


def manage(database_url: str, *args) -> subprocess.CompletedProcess:
    """manage.py in a process of its own, on another database, as an operator runs it."""
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return result


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def scratch(tmp_path):
    """new(name) -> the URL of a new, empty database of the suite's kind, dropped afterwards.
    The drill runs on these, never on the test database, as it would on a server."""
    made = []
    db = connection.settings_dict
    server = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"]}
    server["password"] = db["PASSWORD"] or None

    def new(name: str) -> str:
        if connection.vendor == "sqlite":
            return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        database = f"{db['NAME']}_{name}"
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{database}"')
        made.append(database)
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return f"postgres://{quote(db['USER'], safe='')}{password}@{host}/{database}"

    yield new
    if made:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            for database in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_the_backup_drill_restores_every_year_exactly(tmp_path, scratch):
    live = scratch("drill_live")
    ok(manage(live, "migrate", "--noinput", "-v", "0"))
    ok(manage(live, "import_programs", str(PLAN)))
    ok(manage(live, "rollover_plan", "2019", "--to", "2020"))
    years = (2019, 2020)
    before = {year: ok(manage(live, "export_programs", "--year", str(year))) for year in years}

    backups = tmp_path / "backups"
    out = ok(manage(live, "backup_site", "--output-dir", str(backups)))
    [archive] = backups.glob("portal-*.tar.gz")
    assert f"백업했습니다: {archive}" in out
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert ("database.sqlite3" if connection.vendor == "sqlite" else "database.dump") in names

    # Wipe: the restore goes into a new, empty database, as after losing the old one.
    restored = scratch("drill_restored")
    out = ok(manage(restored, "restore_site", str(archive)))
    assert "되살렸습니다" in out and "연도 2019, 2020" in out and "사업 88개" in out
    for year in years:
        assert ok(manage(restored, "export_programs", "--year", str(year))) == before[year]
    # The history came along: the restored site still knows who changed what.
    assert "plan-2019.xlsx  2019  +44 ~0 -0" in ok(manage(restored, "import_runs"))

    again = manage(restored, "restore_site", str(archive))
    assert again.returncode != 0
    assert "비어 있지 않습니다" in again.stderr and "아무것도 바꾸지 않았습니다" in again.stderr


def archive_of(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_cut_short_backup_is_refused_before_anything_is_written(tmp_path):
    archive = archive_of(tmp_path / "portal-20261204-030000.tar.gz", {"manifest.json": b"{}"})
    archive.write_bytes(archive.read_bytes()[:20])
    with pytest.raises(CommandError, match="백업 파일을 읽을 수 없습니다"):
        call_command("restore_site", str(archive))


def test_a_backup_whose_database_does_not_match_its_checksum_is_refused(tmp_path):
    manifest = {"engine": connection.vendor, "created": "2026-12-04T03:00:00+09:00",
                "database": "database.sqlite3", "sha256": "0" * 64, "media": False}  # fmt: skip
    archive = archive_of(
        tmp_path / "portal-20261204-030000.tar.gz",
        {"manifest.json": json.dumps(manifest).encode(), "database.sqlite3": b"not a database"},
    )
    with pytest.raises(CommandError, match="손상되었습니다"):
        call_command("restore_site", str(archive))


def test_backups_beyond_the_kept_number_are_deleted_oldest_first(tmp_path):
    for stamp in ("20260101-000000", "20260102-000000", "20260103-000000", "20260104-000000"):
        (tmp_path / f"portal-{stamp}.tar.gz").write_bytes(b"old")
    (tmp_path / "notes.txt").write_text("not a backup")
    prune(tmp_path, 2)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "notes.txt",
        "portal-20260103-000000.tar.gz",
        "portal-20260104-000000.tar.gz",
    ]
