"""`make bench`: build the data, measure, print one table of figures and ratios.

Every ratio compares two things measured side by side in the same run (these
machines are shared and noisy), as the median of several runs:

1. Import of a generated sheet 50× the 2019 plan: the whole `manage.py
   import_programs` process into a fresh database ÷ a process that only runs
   openpyxl's load_workbook of the same file; in-process, ÷ openpyxl's
   read-only read, peak memory, re-import ÷ import.
2. Warm pages through gunicorn and the full middleware stack (production
   settings, as behind the TLS proxy, br accepted): throughput, p50, p99, and
   throughput ÷ /healthz through the same stack, pair by pair; every response
   checked to be a 200 in br. Twice: as one app server (content stamps in
   files) and as one of several (stamps and pages in Redis).
3. Compression: each HTML page's bytes plain, br and gzip as served, and that
   both decode to the plain page.
4. Growth: uncached render time with 10 years vs 1 year of data (viewing 2019),
   and a year of 440 vs 44 programs.
5. Weight: HTML gzip bytes, CSS+JS gzip bytes, requests per page.
6. Queries per page, uncached and cached.

Scratch databases are SQLite files under tools/bench/out/ (gitignored), or
PostgreSQL databases named after BENCH_DATABASE_URL (e.g.
postgres://postgres@127.0.0.1:5432/portal_bench) when that is set. Everything
started is stopped, and PostgreSQL scratch databases are dropped, on exit.

Environment: BENCH_DATABASE_URL, BENCH_ROUNDS (3 in-process imports and render
rounds), BENCH_IMPORT_ROUNDS (5 import/openpyxl process pairs),
BENCH_PAGE_ROUNDS (9 page/healthz pairs), BENCH_SECONDS (0.5 per load run),
BENCH_RENDERS (7 per render median), BENCH_CONCURRENCY (default one client per
worker), BENCH_REDIS_URL (default the local Redis when it answers; "off" skips
the shared-cache run), BENCH_PROFILE=1 (pyinstrument profiles of the import, in
process and as a whole process, and of the uncached pages into tools/bench/out/).
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

from tools import server
from tools.bench.common import (
    FIXTURE,
    HTML_PAGES,
    IMPORT_ROUNDS,
    OUT,
    PAGE_ROUNDS,
    PAGES,
    ROUNDS,
    SECONDS,
)
from tools.bench.databases import Databases, manage, run, worker
from tools.bench.imports import measure_import
from tools.bench.pages import forget_redis_keys, measure_pages, measure_renders, redis_for_bench
from tools.bench.report import report


def main() -> None:
    began = time.monotonic()
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    pg_url = os.environ.get("BENCH_DATABASE_URL") or None
    dbs = Databases(pg_url)
    load = os.getloadavg()
    print(
        f"make bench — {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f} at start; database {'PostgreSQL' if pg_url else 'SQLite'}; "
        f"medians of {IMPORT_ROUNDS} import/openpyxl process pairs, {ROUNDS} in-process runs, "
        f"{PAGE_ROUNDS} page/healthz pairs of {SECONDS:g} s"
    )
    try:
        measure_everything(dbs, began)
    except server.ServerError as error:
        raise SystemExit(str(error)) from None
    finally:
        dbs.drop_all()


def measure_everything(dbs: Databases, began: float) -> None:
    if not FIXTURE.exists():
        raise SystemExit(f"{FIXTURE} is missing: the bench builds its data from the 2019 plan")
    print("  preparing: static files, databases, generated sheets …", flush=True)
    manage(dbs.template, "collectstatic", "--noinput")  # touches no database
    dbs.create_template()
    one_year = dbs.copy("one-year")
    manage(one_year, "import_programs", str(FIXTURE))
    sheets = worker(one_year, "sheets", str(OUT))
    ten_years = dbs.copy("ten-years")
    manage(ten_years, "import_programs", sheets["years"]["path"])
    big_year = dbs.copy("ten-times-programs")
    manage(big_year, "import_programs", sheets["x10"]["path"])

    print("  1/5 import …", flush=True)
    imp = measure_import(dbs, Path(sheets["x50"]["path"]))

    print("  2/5 renders (uncached) for growth and queries …", flush=True)
    renders = measure_renders(
        {"1 year": one_year, "10 years": ten_years, "440 programs": big_year}, PAGES
    )
    cached = worker(one_year, "render", "3", *(f"{k}={v}" for k, v in PAGES.items()))
    weight = worker(one_year, "weight", *(f"{k}={v}" for k in HTML_PAGES for v in [PAGES[k]]))

    paths = {k: v["url"] for k, v in renders["1 year"].items()}
    # The two deployments README describes: one app server (stamps in
    # DJANGO_STAMP_DIR, pages in Redis as .env.example sets it up), and several
    # (pages and stamps in Redis). Without Redis, one app server's pages stay in
    # each process.
    redis_url = redis_for_bench()
    one_server = f"one app server: stamp files, pages in {'Redis' if redis_url else 'memory'}"
    print(f"  3/5 pages through gunicorn, {one_server} …", flush=True)
    stamps = {"DJANGO_STAMP_DIR": str(OUT / "stamps")}
    try:
        pages = {one_server: measure_pages(one_year, paths, redis_url, env=stamps)}
        if redis_url:
            print("  4/5 pages through gunicorn, several app servers: Redis …", flush=True)
            pages["several app servers: stamps and pages in Redis"] = measure_pages(
                one_year, paths, redis_url
            )
    finally:
        if redis_url:
            forget_redis_keys(redis_url)

    if os.environ.get("BENCH_PROFILE"):
        print("  5/5 profiles …", flush=True)
        profile(dbs, Path(sheets["x50"]["path"]), one_year, big_year)

    report(imp, renders, cached, weight, pages, sheets, began)


def profile(dbs: Databases, sheet: Path, one_year: str, big_year: str) -> None:
    worker_module = [server.PYTHON, "-m", "tools.bench.worker"]
    text = run([*worker_module, "profile-import", str(sheet)], dbs.copy("profile"))
    (OUT / "profile-import.txt").write_text(text)
    # The whole process the import target times: start-up and system checks too.
    whole = OUT / "profile-import-process.txt"
    run(
        [server.PYTHON, "-m", "pyinstrument", "--interval", "0.0005", "--renderer", "text",
         "--outfile", str(whole), "manage.py", "import_programs", str(sheet)],
        dbs.copy("profile-process"),
        DJANGO_SETTINGS_MODULE="portal.settings",
    )  # fmt: skip
    for name, url in (("one-year", one_year), ("440-programs", big_year)):
        text = run(
            [*worker_module, "profile-render", "5", *PAGES.values()], url, BENCH_PAGE_CACHE="off"
        )
        (OUT / f"profile-pages-{name}.txt").write_text(text)
    print(f"  profiles written to {OUT}/profile-*.txt")


if __name__ == "__main__":
    # A stopped bench still stops its gunicorn and drops its databases (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
