"""An import is all or nothing, also for the people using the site meanwhile:
killed with `kill -9` half-way it leaves exactly the previous plan; run while
gunicorn serves, every page answers 200 and shows the old plan or the new one,
never a mix.

These need a database that several processes share, so they use a scratch
database of their own, on the backend of the run: a SQLite file on the SQLite
pass, a PostgreSQL database `<name>_survival` on the PostgreSQL pass.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.db import connection

from programs.sheet.write import SheetArea, SheetProgram, SheetSection, write_plan_workbook
from tests.support.production import BASE_DIR, production_env, run_manage, run_python
from tools.server import serve

PROGRAMS = 600  # large enough that the import's transaction is seen from outside
EDITIONS = ("가판", "나판")  # the two plans, told apart by these words on every page


def plan_sheet(path: Path, edition: str) -> Path:
    """A 2019 plan of PROGRAMS programs; every target and two milestone labels
    per program carry the edition ("가판" or "나판"), so any page tells which
    plan it shows, or that it shows a mix."""
    areas = [
        SheetArea(
            name=f"분야 {a}",
            programs=[
                SheetProgram(
                    name=f"사업 {a}-{n:03d}",
                    target=f"{edition} 서울시 (예비)협동조합",
                    budget="4.5천만원",
                    per_company="최대 300만원",
                    contacts="협동조합팀 02-1234-5678",
                    milestones=[
                        (f"{edition} 공고/접수 (3.2-3.15)", 3, 3),
                        (f"{edition} 사업수행", 4, 10),
                        ("성과공유회", 12, 12),
                    ],
                )
                for n in range(PROGRAMS // 10)
            ],
        )
        for a in range(10)
    ]
    section = SheetSection(name="서울시사회적경제지원센터 지원사업", areas=areas)
    write_plan_workbook(path, "2019년 지원사업 추진일정", "2019년 추진일정", [section])
    return path


class Scratch:
    """The scratch database, the two sheets, and how to run manage.py on them."""

    def __init__(self, url: str, workdir: Path):
        self.url = url
        self.env = production_env(DATABASE_URL=url)
        self.sheets = {edition: plan_sheet(workdir / f"{n}.xlsx", edition) for n, edition in
                       enumerate(EDITIONS)}  # fmt: skip
        self.current = None  # the edition the database holds

    @property
    def other(self) -> str:
        return next(edition for edition in EDITIONS if edition != self.current)

    def import_edition(self, edition: str) -> str:
        output = self.manage("import_programs", str(self.sheets[edition]))
        self.current = edition
        return output

    def manage(self, *args: str) -> str:
        completed = run_manage(*args, env=self.env, timeout=120)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        return completed.stdout

    def dump(self) -> str:
        """Every row of the plan's tables, in primary-key order."""
        return self.manage("dumpdata", "programs", "schedules", "contacts", "--indent", "0")

    def start_import(self, sheet: Path) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", "import_programs", str(sheet)],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    # -- is the import's write transaction open right now? ------------------------

    def writing(self, pid: int) -> bool:
        if self.url.startswith("sqlite"):
            return self._sqlite_write_locked()
        return self._postgres_writing_programs(pid)

    def _sqlite_write_locked(self) -> bool:
        probe = sqlite3.connect(dj_database_url.parse(self.url)["NAME"], timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc), exc
            return True
        else:
            probe.execute("ROLLBACK")
            return False
        finally:
            probe.close()

    def _postgres_writing_programs(self, pid: int) -> bool:
        # A RowExclusiveLock on programs_program: the import has begun writing
        # programs and has not committed (a commit releases it).
        # One open probe connection: a new one per poll takes longer than a quick
        # import's whole write transaction lasts.
        if getattr(self, "_probe", None) is None or self._probe.closed:
            self._probe = psycopg.connect(
                self.url, autocommit=True, application_name="survival-probe"
            )
        row = self._probe.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE c.relname = 'programs_program' AND l.mode = 'RowExclusiveLock'"
            " AND a.application_name <> 'survival-probe' AND a.pid <> pg_backend_pid()"
        ).fetchone()
        return row[0] > 0


@pytest.fixture(scope="module")
def scratch(tmp_path_factory, django_db_blocker):
    workdir = tmp_path_factory.mktemp("survival")
    if connection.vendor == "postgresql":
        base = dj_database_url.parse(os.environ["DATABASE_URL"])
        name = f"{base['NAME']}_survival"
        server = f"postgres://{base['USER']}@{base['HOST']}:{base['PORT'] or 5432}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{server}/{name}"
    else:
        server = name = None
        url = f"sqlite:///{workdir / 'survival.sqlite3'}"
    site = Scratch(url, workdir)
    site.manage("migrate", "--noinput")
    site.import_edition(EDITIONS[0])
    yield site
    if server:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def kill_mid_import(site: Scratch, delay: float) -> bool:
    """Start importing the other plan; once its write transaction is open (and
    `delay` seconds later) freeze it, check the transaction is still open, and
    kill -9 it. False if the import finished before it could be caught."""
    process = site.start_import(site.sheets[site.other])
    killed = False
    try:
        deadline = time.monotonic() + 60
        while not site.writing(process.pid):
            if process.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.001)
        time.sleep(delay)
        os.kill(process.pid, signal.SIGSTOP)  # frozen: it can neither commit nor exit now
        if process.poll() is not None or not site.writing(process.pid):
            os.kill(process.pid, signal.SIGCONT)
            return False
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL
        killed = True
        return True
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGCONT)
        process.wait(timeout=120)
        process.stdout.close()
        if not killed and process.returncode == 0:
            site.current = site.other  # it got through: the database holds that edition now


def test_an_import_killed_half_way_leaves_exactly_the_previous_plan(scratch):
    before = scratch.dump()
    assert scratch.current in before and scratch.other not in before

    # Caught a little way into its transaction; straight away if it is that quick.
    assert kill_mid_import(scratch, 0.1) or kill_mid_import(scratch, 0.0), (
        "the import always finished before it could be killed"
    )
    assert scratch.dump() == before

    # Nothing is left locked or half-written: the next import goes through.
    imported = scratch.import_edition(scratch.other)
    assert f"2019년: 0 created, {PROGRAMS} updated" in imported


# --- import while serving ------------------------------------------------------------

SNAPSHOT_SCRIPT = """
import threading
from django.db import connections
from contacts.models import ContactDesk
from portal.middleware import read_snapshot

def commit_elsewhere(name):
    def work():  # another thread: another connection, committing at once
        ContactDesk.objects.create(organization=name)
        connections.close_all()
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()

def two_reads():
    first = ContactDesk.objects.count()
    commit_elsewhere(f"스냅숏 {first}")
    return [first, ContactDesk.objects.count()]

result["plain"] = two_reads()
with read_snapshot():
    result["snapshot"] = two_reads()
ContactDesk.objects.filter(organization__startswith="스냅숏").delete()
"""


def test_a_page_reads_the_database_as_of_one_moment(scratch):
    # What ConsistentReadMiddleware wraps every public page in, made to race for
    # sure: another connection commits between a page's two queries.
    result, log = run_python(SNAPSHOT_SCRIPT, env=scratch.env)
    plain, snapshot = result["plain"], result["snapshot"]
    assert plain[1] == plain[0] + 1, log  # without it the second query sees the commit
    assert snapshot[1] == snapshot[0], log  # within it both see the same moment


PAGES = ["/programs.json?year=2019", "/calendar/", "/programs/?year=2019&q=사업"]


def read_pages(port: int, stop: threading.Event, seen: list) -> None:
    while not stop.is_set():
        for path in PAGES:
            started = time.monotonic()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{urllib.parse.quote(path, safe='/?&=')}",
                headers={"Host": "portal.example.kr", "X-Forwarded-Proto": "https"},
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status, body = response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                status, body = error.code, ""
            seen.append(
                (path, started, time.monotonic(), status, *(body.count(e) for e in EDITIONS))
            )


@pytest.fixture
def gunicorn(scratch, tmp_path):
    with serve(
        scratch.url, log_path=tmp_path / "gunicorn.log", workers=2, host_name="portal.example.kr"
    ) as server:
        yield server.port


def test_pages_keep_answering_during_an_import_and_show_one_plan_or_the_other(scratch, gunicorn):
    old, new = scratch.current, scratch.other
    stop, seen = threading.Event(), []
    reader = threading.Thread(target=read_pages, args=(gunicorn, stop, seen))
    reader.start()
    try:
        time.sleep(1)
        import_started = time.monotonic()
        process = scratch.start_import(scratch.sheets[new])
        output, _ = process.communicate(timeout=120)
        import_ended = time.monotonic()
        time.sleep(1)
    finally:
        stop.set()
        reader.join()
    assert process.returncode == 0, output

    assert [s for s in seen if s[3] != 200] == []
    # Each page shows one plan, whole: words of one edition, none of the other.
    mixed = [(path, a, b) for path, _, _, _, a, b in seen if a and b]
    assert mixed == []
    assert all(a or b for *_, a, b in seen)
    during = [s for s in seen if s[1] > import_started and s[2] < import_ended]
    assert len(during) >= 3, "too few pages were read while the import ran"
    first, last = seen[0], seen[-1]
    shows = {edition: 4 + n for n, edition in enumerate(EDITIONS)}  # tuple index of its count
    assert first[shows[old]] and not first[shows[new]]  # the old plan before
    assert last[shows[new]] and not last[shows[old]]  # the new one after
    scratch.current = new
