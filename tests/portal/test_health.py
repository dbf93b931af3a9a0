"""What the load balancer, the process manager and the operator rely on:
/healthz and /readyz, the request log, static files as production serves them,
and database settings that survive concurrency and outages."""

import re
import runpy
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest
from django.contrib.auth.models import User
from django.db import connection

from tests.support.production import (
    BASE_DIR,
    collected_static,
    free_port,
    get_with_database,
    production_env,
    production_values,
    run_python,
    silent_server,
)

# --- /healthz and /readyz ------------------------------------------------------------


def test_healthz_answers_ok_without_touching_the_database(client):
    # No `db` fixture: pytest-django fails any database access in this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_ready_when_the_database_answers(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready\n"
    assert "no-cache" in response["Cache-Control"]


def test_health_checks_refuse_to_change_anything(client, db):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def test_with_postgresql_refusing_connections_readyz_answers_503_in_under_2_seconds():
    closed = free_port()
    pages, log = get_with_database(
        f"postgres://postgres@127.0.0.1:{closed}/portal", "/readyz", "/healthz"
    )
    assert pages["/readyz"]["status"] == 503, log
    assert pages["/readyz"]["seconds"] < 2
    assert pages["/readyz"]["body"] == "database unavailable\n"
    assert pages["/healthz"]["status"] == 200
    assert "readyz: database not ready" in log


def test_with_postgresql_hanging_readyz_gives_up_in_under_2_seconds():
    # libpq's connect_timeout (2 s) ends the attempt itself; /readyz does not wait for it.
    with silent_server() as port:
        pages, log = get_with_database(f"postgres://postgres@127.0.0.1:{port}/portal", "/readyz")
    assert pages["/readyz"]["status"] == 503, log
    assert pages["/readyz"]["seconds"] < 2


def test_with_the_sqlite_file_unreachable_readyz_answers_503(tmp_path):
    missing = tmp_path / "no-such-folder" / "db.sqlite3"
    pages, log = get_with_database(f"sqlite:///{missing}", "/readyz", "/healthz")
    assert pages["/readyz"]["status"] == 503, log
    assert pages["/healthz"]["status"] == 200


def test_postgresql_gives_up_connecting_after_2_seconds():
    options = production_values(DATABASE_URL="postgres://u@127.0.0.1:5432/p")["DATABASES"]
    assert options["default"]["OPTIONS"]["connect_timeout"] == 2


# --- the request log ---------------------------------------------------------------------

LOG_LINE = re.compile(
    r"^method=(?P<method>\S+) path=(?P<path>\S+) status=(?P<status>\d{3}) "
    r"ms=(?P<ms>\d+\.\d) user=(?P<user>\S+)$"
)


def request_lines(caplog):
    return [
        LOG_LINE.match(record.getMessage())
        for record in caplog.records
        if record.name == "portal.request"
    ]


def test_every_request_is_logged_in_one_line_with_method_path_status_time_and_user(
    client, db, caplog
):
    caplog.set_level("INFO", logger="portal.request")
    client.get("/없는-주소/?q=협동조합")
    client.get("/healthz")
    lines = request_lines(caplog)
    assert len(lines) == 2 and all(lines)
    assert lines[0]["method"] == "GET"
    assert lines[0]["path"].startswith("/%EC%97%86") and "q=" in lines[0]["path"]
    assert lines[0]["status"] == "404"
    assert lines[0]["user"] == "-"
    assert lines[1]["status"] == "200"


def test_the_request_log_names_the_staff_member_who_used_the_admin(client, db, caplog, settings):
    settings.ADMIN_2FA = False
    staff = User.objects.create_user("담당자", is_staff=True, is_superuser=True)
    client.force_login(staff)
    caplog.set_level("INFO", logger="portal.request")
    client.get("/" + settings.ADMIN_URL)
    (line,) = request_lines(caplog)
    assert line["user"] == "담당자" and line["status"] == "200"


# --- static files in production ---------------------------------------------------------


def test_production_serves_hashed_compressed_static_files_cached_for_a_year():
    root = collected_static()
    hashed = [path.name for path in (root / "css").glob("portal.*.css")]
    assert len(hashed) == 1 and re.fullmatch(r"portal\.[0-9a-f]{12}\.css", hashed[0])
    assert (root / "css" / f"{hashed[0]}.gz").exists()

    css_url = f"/static/css/{hashed[0]}"
    pages, log = get_with_database("sqlite:///:memory:", "/healthz", css_url)
    css = pages[css_url]
    assert css["status"] == 200, log
    assert "max-age=315360000" in css["headers"]["Cache-Control"]
    assert "immutable" in css["headers"]["Cache-Control"]


def test_the_404_page_in_production_links_the_hashed_stylesheet():
    pages, log = get_with_database("sqlite:///:memory:", "/없는-주소/")
    page = pages["/없는-주소/"]
    assert page["status"] == 404, log
    assert re.search(r'href="/static/css/portal\.[0-9a-f]{12}\.css"', page["body"])


# --- database settings -----------------------------------------------------------------


def test_sqlite_takes_the_write_lock_up_front_and_lets_readers_run_meanwhile():
    database = production_values(DATABASE_URL="sqlite:////tmp/portal.sqlite3")["DATABASES"]
    options = database["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def test_postgresql_reuses_checked_connections_and_stops_queries_before_gunicorn_does():
    database = production_values(DATABASE_URL="postgres://u@127.0.0.1:5432/p")["DATABASES"]
    settings = database["default"]
    assert settings["CONN_MAX_AGE"] > 0
    assert settings["CONN_HEALTH_CHECKS"] is True
    statement_ms = int(re.search(r"statement_timeout=(\d+)", settings["OPTIONS"]["options"])[1])
    gunicorn = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert 0 < statement_ms < gunicorn["timeout"] * 1000


def test_the_live_database_connection_carries_those_safeguards(db):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "20s"
    else:
        assert connection.transaction_mode == "IMMEDIATE"


def test_gunicorn_sizes_workers_from_the_cpus_and_recycles_them_with_jitter(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 4)
    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert config["workers"] == 9
    assert config["timeout"] == 30
    assert config["max_requests"] > 0 and 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["accesslog"] == "-"
    assert config["forwarded_allow_ips"] == ""


def test_gunicorn_takes_an_empty_web_concurrency_as_the_default(monkeypatch):
    # What a bare `WEB_CONCURRENCY=` line in an environment file gives.
    monkeypatch.setenv("WEB_CONCURRENCY", "")
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    assert runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["workers"] == 5


def test_gunicorn_stops_on_a_worker_count_that_is_not_one_and_names_the_variable(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "다섯")
    with pytest.raises(SystemExit) as stopped:
        runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert "WEB_CONCURRENCY='다섯': expected a whole number of workers" in str(stopped.value)


def test_every_new_setting_is_explained_in_env_example():
    example = (BASE_DIR / ".env.example").read_text()
    settings_source = (BASE_DIR / "portal" / "settings.py").read_text()
    used = set(re.findall(r"env_(?:str|bool|int|list)\(\s*[\"']([A-Z0-9_]+)", settings_source))
    used |= {"GUNICORN_BIND", "WEB_CONCURRENCY"}
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert used - documented == set()


WRITER = """
import time
from django.db import connection, transaction

while time.time() < START:  # both processes begin together
    time.sleep(0.001)
errors, n = [], 0
while time.time() < START + 1.5:
    n += 1
    try:
        # Read, then write: the pattern that fails at once with "database is
        # locked" when two connections both start reading in a deferred transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM hits")
            time.sleep(0.002)
            cursor.execute("INSERT INTO hits VALUES (%s, %s)", [WORKER, n])
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
result["errors"] = errors
"""


def test_two_processes_writing_to_sqlite_at_once_never_hit_database_is_locked(tmp_path):
    database = tmp_path / "shared.sqlite3"
    with closing(sqlite3.connect(database)) as setup:
        # As `manage.py migrate` leaves it: WAL is a property of the file, so workers'
        # connections find it set. (Switching a file to WAL needs it to itself and
        # fails at once while another process writes, busy timeout or not.)
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE hits (worker TEXT, n INTEGER)")
        setup.commit()
    env = production_env(DATABASE_URL=f"sqlite:///{database}")
    start = time.time() + 4  # after both have started Django, even on a busy machine
    with ThreadPoolExecutor(2) as pool:
        runs = [
            pool.submit(run_python, f"WORKER = {w!r}\nSTART = {start}\n" + WRITER, env=env)
            for w in "ab"
        ]
        results = [run.result()[0] for run in runs]
    assert [result["errors"][:3] for result in results] == [[], []]
    with closing(sqlite3.connect(database)) as check:
        written = check.execute("SELECT worker, count(*) FROM hits GROUP BY worker").fetchall()
    # Both got their writes in: a writer waits for the lock (up to 20 s), never fails.
    assert {worker for worker, count in written if count > 0} == {"a", "b"}, written
