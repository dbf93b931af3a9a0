"""Two send_alerts at once (the daily timer and an operator, or two servers)
send each subscriber one digest, not two.

Each run is its own production process on the test database, as in real life:
on PostgreSQL the runs claim rows with FOR UPDATE SKIP LOCKED; on SQLite (the
test database copied to a file, since another process cannot open the test
run's in-memory one) their IMMEDIATE claim transactions take turns."""

import sqlite3
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest
from django.db import connection

from alerts.models import Subscription
from alerts.subscribing import confirm
from programs.amounts import parse_amount
from schedules.status import seoul_today
from tests.alerts.helpers import at
from tests.support.production import production_env, run_python

SUBSCRIBERS = 70  # more than one claim batch (alerts.sending.BATCH) for each run

RUN = """
import datetime as dt
import time
from unittest import mock
from django.utils import timezone
from alerts import sending

while time.time() < START:  # both processes begin together
    time.sleep(0.001)
day = dt.datetime(2027, 1, 11, 1, 0, tzinfo=dt.UTC)
with mock.patch.object(timezone, "now", return_value=day):
    report = sending.run(base_url="https://portal.example.kr")
result["sent"], result["failed"] = report.sent, report.failed
"""


def database_url_for_another_process(tmp_path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user, host = settings["USER"] or "postgres", settings["HOST"] or "127.0.0.1"
        return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"
    copy = tmp_path / "alerts.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(copy)) as target:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    return f"sqlite:///{copy}"


# Serialized like every other transactional test here: a plain flush would let
# post_migrate recreate content types under new ids, and the next serialized
# test could not restore its own.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_each_subscriber_exactly_one_digest(smtp, make_program, tmp_path):
    program = make_program(
        "유통채널 입점지원", area="민간판로 지원", year=2027, milestones=[("공고/접수", 3, 3)]
    )
    with at("2027-01-10"):
        for n in range(SUBSCRIBERS):
            subscription = Subscription.objects.create(
                email=f"person{n}@example.kr", query="area=민간판로+지원"
            )
            confirm(subscription, seoul_today())
    program.budget = parse_amount("2억원")
    program.save()

    env = production_env(
        DATABASE_URL=database_url_for_another_process(tmp_path),
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(smtp.port),
        DJANGO_EMAIL_USE_TLS="false",
        PORTAL_BASE_URL="https://portal.example.kr",
    )
    script = f"START = {time.time() + 5}\n" + RUN
    with ThreadPoolExecutor(2) as pool:
        runs = [pool.submit(run_python, script, env=env, timeout=120) for _ in range(2)]
        results = [run.result()[0] for run in runs]

    assert [result["failed"] for result in results] == [[], []]
    received = Counter(message["To"] for message in smtp.take())
    assert len(received) == SUBSCRIBERS
    assert set(received.values()) == {1}, "someone got two digests"
    assert sum(result["sent"] for result in results) == SUBSCRIBERS
    # Both took part: the second did not simply start after the first had finished.
    assert all(result["sent"] > 0 for result in results), results
