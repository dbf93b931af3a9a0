"""`make loadtest`: mixed traffic against production gunicorn on loopback.

    .venv/bin/python -m tools.loadtest [--seconds 60] [--port PORT]
        [--database-url postgres://postgres@127.0.0.1:5432/portal_loadtest]

Sets up a scratch database with the shipped 2019 plan, starts gunicorn the one
way the tools and tests do (tools.server: gunicorn.conf.py, DJANGO_DEBUG=false,
127.0.0.1 and a free port unless --port is given), checks that every URL
answers 200, then runs the mix of catalogue, filtered catalogue, detail,
calendar, ICS and JSON requests. Prints errors (the target is 0), p50/p95/p99
latency, throughput and the workers' memory before and after. Exits 1 on any
error. Stops gunicorn and its workers whatever happens.

LOADTEST_SECONDS and LOADTEST_DATABASE_URL set the defaults of --seconds and
--database-url (`LOADTEST_SECONDS=10 make loadtest` for a quick check).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from tools import sample_site, server, traffic

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_loadtest"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("LOADTEST_SECONDS") or 60)
    )
    parser.add_argument("--port", type=int, default=None, help="default: a free one")
    parser.add_argument(
        "--database-url", default=os.environ.get("LOADTEST_DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument("--threads", type=int, default=8, help="client threads per process")
    return parser.parse_args()


def main() -> int:
    args = arguments()
    workdir = Path(tempfile.mkdtemp(prefix="portal-loadtest-"))
    traffic.log(f"preparing {args.database_url} (migrate, import the 2019 plan, collectstatic)")
    env = sample_site.prepare(args.database_url)
    urls = sample_site.urls(env)

    log_path = workdir / "gunicorn.log"
    with server.serve(args.database_url, log_path=log_path, port=args.port) as gunicorn:
        traffic.log(f"gunicorn is up on {server.HOST}:{gunicorn.port}, {gunicorn.workers} workers")
        target = traffic.Target(gunicorn.port, gunicorn.proxy_headers, urls)
        traffic.check_every_url(gunicorn.port, gunicorn.proxy_headers, urls)
        rss_before = gunicorn.worker_rss_mb()
        traffic.log(
            f"load: {args.processes} processes × {args.threads} threads for {args.seconds:.0f} s"
        )
        load = traffic.Load(target, args.seconds, args.processes, args.threads).start()
        # Workers grow while they first render each page and fill their caches;
        # what matters is that they stop growing: compare warm with the end.
        time.sleep(args.seconds / 4)
        rss_warm = gunicorn.worker_rss_mb()
        samples = load.samples()
        elapsed = max(s.started + s.seconds for s in samples) - load.started
        time.sleep(1)
        rss_after = gunicorn.worker_rss_mb()

    log_text = log_path.read_text(errors="replace")
    traffic.print_summary("load test", samples, elapsed)
    print(f"worker memory before:          {traffic.rss_line(rss_before)}")
    print(f"worker memory {args.seconds / 4:.0f} s into the load: {traffic.rss_line(rss_warm)}")
    print(f"worker memory after:           {traffic.rss_line(rss_after)}")
    server_ms = [
        float(line.rsplit("ms=", 1)[1].split()[0])
        for line in log_text.splitlines()
        if "portal.request" in line and "ms=" in line
    ]
    print(f"server-side time per request (request log): {traffic.latency_line_ms(server_ms)}")
    tracebacks = log_text.count("Traceback (most recent call last)")
    recycled = log_text.count("Autorestarting worker")
    print(f"gunicorn log: {tracebacks} tracebacks, {recycled} workers recycled by max_requests")
    print(f"(log: {log_path})")
    errors = sum(1 for s in samples if s.error)
    print("RESULT: " + ("PASS, 0 errors" if errors == 0 and tracebacks == 0 else "FAIL"))
    return 0 if errors == 0 and tracebacks == 0 else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except server.ServerError as error:
        sys.exit(str(error))
