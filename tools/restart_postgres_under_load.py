"""Restart PostgreSQL while gunicorn serves load, without touching gunicorn.

    .venv/bin/python -m tools.restart_postgres_under_load [--port PORT]
        [--database-url postgres://postgres@127.0.0.1:5432/portal_restart]

Runs production gunicorn (tools.server; persistent connections, CONN_MAX_AGE=60
with health checks) on 127.0.0.1 against a scratch database, puts load on it, and after
--before seconds restarts the cluster with
`pg_ctlcluster --skip-systemctl-redirect <version> main restart`. Requests are
grouped by when they started: before the restart, during it (until the cluster
accepts connections again) and after. Only requests in flight during the
restart may fail; after it there must be 0 errors and no "connection already
closed" in gunicorn's log. Exits 1 otherwise.

The cluster is shared on a developer machine: the script first waits until no
other database has an active client, so it does not break someone's test run.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tools import sample_site, server, traffic


def cluster_version() -> str:
    return sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]


def other_active_clients(database_url: str, ours: str) -> list[str]:
    import psycopg

    admin_url = urlsplit(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(
            "SELECT datname, state, left(query, 60) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
            " AND datname IS DISTINCT FROM %s AND state <> 'idle'",
            [ours],
        ).fetchall()
    return [f"{name} ({state}): {query}" for name, state, query in rows]


def wait_until_cluster_is_quiet(database_url: str, ours: str, patience: float) -> None:
    deadline = time.monotonic() + patience
    quiet_since = None
    last_said = 0.0
    while True:
        busy = other_active_clients(database_url, ours)
        if not busy:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 3:
                return
        else:
            quiet_since = None
            if time.monotonic() > deadline:
                sys.exit("the cluster stayed busy with other databases:\n" + "\n".join(busy))
            if time.monotonic() - last_said > 15:
                traffic.log(f"waiting: {len(busy)} other clients active, e.g. {busy[0]}")
                last_said = time.monotonic()
        time.sleep(1)


def pg_ready() -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False
        ).returncode
        == 0
    )


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=None, help="default: a free one")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/portal_restart"
    )
    parser.add_argument("--before", type=float, default=10, help="seconds of load before")
    parser.add_argument("--after", type=float, default=20, help="seconds of load after")
    parser.add_argument("--patience", type=float, default=600, help="max wait for a quiet cluster")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("this script restarts PostgreSQL: give a postgres:// database URL")
    return args


@dataclass
class Drill:
    """What happened: every request, when the restart began and ended, and gunicorn's state."""

    samples: list
    restart_started: float
    ready_at: float
    master: int
    same_master: bool
    pids_before: list[int]
    log_text: str = ""


def restart_under_load(args, gunicorn: server.Server, urls: dict) -> Drill:
    ours = urlsplit(args.database_url).path.lstrip("/")
    traffic.check_every_url(gunicorn.port, gunicorn.proxy_headers, urls)
    pids_before = sorted(gunicorn.worker_pids())
    master = gunicorn.process.pid
    traffic.log("waiting until no other database on the cluster is busy")
    wait_until_cluster_is_quiet(args.database_url, ours, args.patience)

    # Stopped by hand once the after-window has passed, however long the restart took.
    target = traffic.Target(gunicorn.port, gunicorn.proxy_headers, urls)
    load = traffic.Load(target, args.before + args.after + 600).start()
    time.sleep(args.before)
    wait_until_cluster_is_quiet(args.database_url, ours, args.patience)  # and still quiet
    version = cluster_version()
    traffic.log(f"restarting PostgreSQL {version}/main under load")
    restart_started = time.time()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True
    )
    while not pg_ready():
        time.sleep(0.05)
    ready_at = time.time()
    traffic.log(f"PostgreSQL accepts connections again after {ready_at - restart_started:.2f} s")
    time.sleep(args.after)
    load.stop()
    samples = [s for s in load.samples() if s.started < ready_at + args.after]
    same_master = gunicorn.running() and gunicorn.process.pid == master
    return Drill(samples, restart_started, ready_at, master, same_master, pids_before)


def main() -> int:
    args = arguments()
    workdir = Path(tempfile.mkdtemp(prefix="portal-restart-"))
    traffic.log(f"preparing {args.database_url}")
    env = sample_site.prepare(args.database_url)
    urls = sample_site.urls(env)
    log_path = workdir / "gunicorn.log"
    with server.serve(args.database_url, log_path=log_path, port=args.port) as gunicorn:
        traffic.log(f"gunicorn is up on {server.HOST}:{gunicorn.port}, {gunicorn.workers} workers")
        drill = restart_under_load(args, gunicorn, urls)
    drill.log_text = log_path.read_text(errors="replace")
    ok = report(drill, args.after)
    print(f"(log: {log_path})")
    print("RESULT: " + ("PASS, 0 errors after the restart" if ok else "FAIL"))
    return 0 if ok else 1


def report(drill: Drill, after_seconds: float) -> bool:
    restart_started, ready_at = drill.restart_started, drill.ready_at
    before = [s for s in drill.samples if s.started < restart_started]
    during = [s for s in drill.samples if restart_started <= s.started < ready_at]
    after = [s for s in drill.samples if s.started >= ready_at]
    # In flight: started before the restart and still running when it began.
    in_flight = [s for s in before if s.started + s.seconds >= restart_started]
    traffic.print_summary("before the restart", before, restart_started - before[0].started)
    traffic.print_summary("during the restart", during, ready_at - restart_started)
    traffic.print_summary("after the restart", after, after_seconds)
    failed_in_flight = [s for s in in_flight if s.error]
    print(
        f"\nrequests in flight when the restart began: {len(in_flight)}, failed: "
        f"{len(failed_in_flight)}"
    )
    already_closed = drill.log_text.count("connection already closed")
    print(
        f'gunicorn log: "connection already closed" x{already_closed}, '
        f"tracebacks x{drill.log_text.count('Traceback (most recent call last)')}"
    )
    print(
        f"gunicorn master {drill.master} kept running: {drill.same_master}; "
        f"workers before {drill.pids_before}"
    )
    errors_after = sum(1 for s in after if s.error)
    return errors_after == 0 and already_closed == 0 and drill.same_master and len(after) > 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except server.ServerError as error:
        sys.exit(str(error))
