"""`make loadtest`: 60 s of mixed traffic against production gunicorn on loopback.

    .venv/bin/python ops/loadtest.py [--seconds 60] [--port 8150]
        [--database-url postgres://postgres@127.0.0.1:5432/portal_loadtest]

Sets up a scratch database with the shipped 2019 plan, starts gunicorn
(gunicorn.conf.py, DJANGO_DEBUG=false) on 127.0.0.1, checks that every URL
answers 200, then runs the mix of catalogue, filtered catalogue, detail,
calendar, ICS and JSON requests. Prints errors (the target is 0), p50/p95/p99
latency, throughput and the workers' memory before and after. Exits 1 on any
error. Stops gunicorn whatever happens.
"""

import argparse
import sys
import time

import harness


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/portal_loadtest"
    )
    parser.add_argument("--processes", type=int, default=2, help="load generator processes")
    parser.add_argument("--threads", type=int, default=8, help="client threads per process")
    args = parser.parse_args()

    workdir = harness.scratch_dir("portal-loadtest-")
    env = harness.production_env(args.database_url, args.port, workdir / "static")
    harness.log(f"preparing {args.database_url} (migrate, import the 2019 plan, collectstatic)")
    harness.prepare_site(env)
    urls = harness.site_urls(env)

    server = harness.start_gunicorn(env, args.port, workdir)
    try:
        harness.check_every_url(args.port, urls)
        rss_before = server.worker_rss_mb()
        harness.log(
            f"load: {args.processes} processes × {args.threads} threads for {args.seconds:.0f} s"
        )
        load = harness.Load(args.port, urls, args.seconds, args.processes, args.threads).start()
        # Workers grow while they first render each page and fill their caches;
        # what matters is that they stop growing: compare warm with the end.
        time.sleep(args.seconds / 4)
        rss_warm = server.worker_rss_mb()
        samples = load.samples()
        elapsed = max(s.started + s.seconds for s in samples) - load.started
        time.sleep(1)
        rss_after = server.worker_rss_mb()
    finally:
        server.stop()

    log_text = server.log_text()
    harness.print_summary("load test", samples, elapsed)
    print(f"worker memory before:          {harness.rss_line(rss_before)}")
    print(f"worker memory {args.seconds / 4:.0f} s into the load: {harness.rss_line(rss_warm)}")
    print(f"worker memory after:           {harness.rss_line(rss_after)}")
    server_ms = [
        float(line.rsplit("ms=", 1)[1].split()[0])
        for line in log_text.splitlines()
        if "portal.request" in line and "ms=" in line
    ]
    print(f"server-side time per request (request log): {harness.latency_line_ms(server_ms)}")
    tracebacks = log_text.count("Traceback (most recent call last)")
    recycled = log_text.count("Autorestarting worker")
    print(f"gunicorn log: {tracebacks} tracebacks, {recycled} workers recycled by max_requests")
    print(f"(log: {server.log_path})")
    errors = sum(1 for s in samples if s.error)
    print("RESULT: " + ("PASS, 0 errors" if errors == 0 and tracebacks == 0 else "FAIL"))
    return 0 if errors == 0 and tracebacks == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
