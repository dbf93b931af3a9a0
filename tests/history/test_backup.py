"""The backup drill, on the database the suite runs on: back up, restore into a
new empty database, and compare the export of every year; a restore never goes
over a database that has tables."""

import io
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

from history.context import scope
from programs.models import Plan, Program
from programs.rollover import rollover

ROOT = Path(settings.BASE_DIR)
# Transactional, so the backup sees committed rows; serialized rollback brings
# back what the data migrations made once the test has flushed the database.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def manage(database_url: str, *args) -> subprocess.CompletedProcess:
    """manage.py in a process of its own, on another database."""
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "true"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def export(year: int) -> str:
    out = io.StringIO()
    call_command("export_programs", "--year", str(year), "--format", "json", stdout=out)
    return out.getvalue()


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the suite's kind; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_drill"
    server = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"]}
    server["password"] = db["PASSWORD"] or None
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    yield f"postgres://{quote(db['USER'], safe='')}{password}@{host}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_backup_drill_restores_every_year_exactly(plan_2019, tmp_path, empty_database):
    rollover(2019, 2020)
    program = Program.objects.get(area__plan_id=2019, name="유통채널 입점지원")
    with scope("예산 정정"):
        program.summary = "판로 개척을 돕습니다."
        program.save()
    years = list(Plan.objects.order_by("year").values_list("year", flat=True))
    before = {year: export(year) for year in years}

    out = io.StringIO()
    call_command("backup_site", "--output-dir", str(tmp_path / "backups"), stdout=out)
    [archive] = (tmp_path / "backups").glob("portal-*.tar.gz")
    assert f"백업했습니다: {archive}" in out.getvalue()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert ("database.sqlite3" if connection.vendor == "sqlite" else "database.dump") in names

    restored = manage(empty_database, "restore_site", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "되살렸습니다" in restored.stdout and "사업 88개" in restored.stdout
    for year in years:
        after = manage(empty_database, "export_programs", "--year", str(year), "--format", "json")
        assert after.returncode == 0, after.stderr
        assert after.stdout == before[year]
    # The history came along: the restored site still knows who changed what.
    runs = manage(empty_database, "import_runs")
    assert "plan-2019.xlsx  2019  +44 ~0 -0" in runs.stdout

    again = manage(empty_database, "restore_site", str(archive))
    assert again.returncode != 0
    assert "비어 있지 않습니다" in again.stderr and "아무것도 바꾸지 않았습니다" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_written(plan_2019, tmp_path):
    call_command("backup_site", "--output-dir", str(tmp_path), stdout=io.StringIO())
    [archive] = tmp_path.glob("portal-*.tar.gz")
    archive.write_bytes(archive.read_bytes()[:200])
    with pytest.raises(CommandError, match="백업 파일을 읽을 수 없습니다"):
        call_command("restore_site", str(archive))


def test_backups_beyond_the_kept_number_are_deleted_oldest_first(plan_2019, tmp_path):
    for stamp in ("20260101-000000", "20260102-000000", "20260103-000000"):
        (tmp_path / f"portal-{stamp}.tar.gz").write_bytes(b"old")
    call_command("backup_site", "--output-dir", str(tmp_path), "--keep", "2", stdout=io.StringIO())
    kept = sorted(path.name for path in tmp_path.glob("portal-*.tar.gz"))
    assert len(kept) == 2 and kept[0] == "portal-20260103-000000.tar.gz"
