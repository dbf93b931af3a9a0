"""`make bench`: build the data, measure, print one table of figures and ratios.

Every ratio compares two things measured side by side in the same run (these
machines are shared and noisy), as the median of several runs:

1. Import of a generated sheet 50× the 2019 plan ÷ openpyxl reading the same
   file; peak memory ÷ file size and ÷ openpyxl's peak; re-import ÷ import.
2. Pages through gunicorn and the full middleware stack (production settings,
   as behind the TLS proxy): throughput, p50, p99, each ÷ a trivial view that
   returns a static body of the same size through the same stack.
3. Growth: uncached render time with 10 years vs 1 year of data (viewing 2019),
   and a year of 440 vs 44 programs.
4. Weight: HTML gzip bytes, CSS+JS gzip bytes, requests per page.
5. Queries per page, uncached and cached.

Scratch databases are SQLite files under bench/out/ (gitignored), or
PostgreSQL databases named after BENCH_DATABASE_URL (e.g.
postgres://postgres@127.0.0.1:5432/portal_bench) when that is set. Everything
started is stopped, and PostgreSQL scratch databases are dropped, on exit.

Environment: BENCH_DATABASE_URL, BENCH_ROUNDS (3 imports and render rounds),
BENCH_PAGE_ROUNDS (5 page/ceiling pairs), BENCH_SECONDS (1.0 per load run),
BENCH_RENDERS (7 per render median), BENCH_REDIS_URL (default the local Redis
when it answers; "off" skips the shared-cache run), BENCH_PROFILE=1
(pyinstrument profiles of the import and the uncached pages into bench/out/).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.load import fetch, hammer, request_bytes

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
PORTS = range(8400, 8440)
HOST = "127.0.0.1"
FIXTURE = Path(os.environ.get("BENCH_FIXTURE") or ROOT / "fixtures" / "plan-2019.xlsx")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "1.0"))
# Short page/ceiling pairs, many of them: a burst of noise spoils one pair, not the median.
PAGE_ROUNDS = int(os.environ.get("BENCH_PAGE_ROUNDS", "5"))
RENDERS = int(os.environ.get("BENCH_RENDERS", "7"))
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

PAGES = {
    "home": "/",
    "catalogue": "/programs/",
    "catalogue filtered": "/programs/?eligibility=cooperative&month=4",
    "detail": "/programs/{detail}/",
    "calendar": "/calendar/",
    "month view": "/calendar/2019/4/",
    "programs.json": "/programs.json",
    "calendar.ics": "/calendar.ics",
}
HTML_PAGES = ["home", "catalogue", "catalogue filtered", "detail", "calendar", "month view"]

TARGETS = {
    "import": 2.0,
    "reimport": 0.5,
    "throughput": 0.5,
    "years": 1.3,
    "programs": 12.0,
    "requests": 3,
    "css_js_kb": 30.0,
    "catalogue_kb": 60.0,
}

_started: list[subprocess.Popen] = []


# --- processes and databases ----------------------------------------------------------------
def child_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE=os.environ.get("BENCH_SETTINGS_MODULE", "bench.settings"),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS=f"{HOST},testserver",
        # As behind the TLS-terminating proxy production runs behind.
        DJANGO_BEHIND_PROXY="true",
        DJANGO_STATIC_ROOT=str(OUT / "static"),
        DATABASE_URL=database_url,
        REDIS_URL="",
        DJANGO_CACHE_KEY_PREFIX=f"bench-{SECRET_KEY[:12]}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


SECRET_KEY = secrets.token_urlsafe(50)


def run(args: list[str], database_url: str, **extra: str) -> str:
    result = subprocess.run(
        args, cwd=ROOT, env=child_env(database_url, **extra), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(
            f"failed: {' '.join(args)}\n{result.stdout[-2000:]}{result.stderr[-4000:]}"
        )
    return result.stdout


def manage(database_url: str, *args: str) -> str:
    return run([PYTHON, "manage.py", *args], database_url)


def worker(database_url: str, *args: str, **extra: str):
    out = run([PYTHON, "-m", "bench.worker", *args], database_url, **extra)
    return json.loads(out.strip().splitlines()[-1])


class Databases:
    """A migrated template, copied for every scenario."""

    def __init__(self, pg_url: str | None):
        self.pg_url = pg_url
        self.created: list[str] = []
        self.template = self._url("template")

    def _url(self, name: str) -> str:
        if self.pg_url:
            base, _, db = self.pg_url.rpartition("/")
            return f"{base}/{db}_{name}"
        return f"sqlite:///{OUT / (name + '.sqlite3')}"

    def _admin(self):
        import psycopg

        base = self.pg_url.rpartition("/")[0]
        return psycopg.connect(f"{base}/postgres", autocommit=True)

    def _name(self, url: str) -> str:
        return url.rpartition("/")[2]

    def create_template(self) -> None:
        if self.pg_url:
            with self._admin() as pg:
                pg.execute(f'DROP DATABASE IF EXISTS "{self._name(self.template)}" WITH (FORCE)')
                pg.execute(f'CREATE DATABASE "{self._name(self.template)}"')
            self.created.append(self.template)
        manage(self.template, "migrate", "--noinput")
        if not self.pg_url:
            with sqlite3.connect(OUT / "template.sqlite3") as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def copy(self, name: str) -> str:
        url = self._url(name)
        if self.pg_url:
            with self._admin() as pg:
                pg.execute(f'DROP DATABASE IF EXISTS "{self._name(url)}" WITH (FORCE)')
                pg.execute(
                    f'CREATE DATABASE "{self._name(url)}" TEMPLATE "{self._name(self.template)}"'
                )
            self.created.append(url)
        else:
            target = OUT / f"{name}.sqlite3"
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(OUT / "template.sqlite3", target)
        return url

    def drop_all(self) -> None:
        if not self.pg_url:
            return
        with self._admin() as pg:
            for url in reversed(self.created):
                pg.execute(f'DROP DATABASE IF EXISTS "{self._name(url)}" WITH (FORCE)')


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def stop_all() -> None:
    for process in _started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- measurements ---------------------------------------------------------------------------
def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def measure_import(dbs: Databases, sheet: Path) -> dict:
    rounds = []
    full_loads = []
    for n in range(ROUNDS):
        baseline = worker(dbs.template, "openpyxl", str(sheet))
        imported = worker(dbs.copy(f"import{n}"), "import", str(sheet))
        full_loads.append(worker(dbs.template, "openpyxl", str(sheet), "--full"))
        rounds.append((baseline, imported))
    traced_openpyxl = worker(dbs.template, "openpyxl", str(sheet), "--trace")
    traced_import = worker(dbs.copy("import-traced"), "import", str(sheet), "--trace")
    size_mb = sheet.stat().st_size / 2**20
    return {
        "file_mb": size_mb,
        "programs": rounds[0][1]["programs"],
        "openpyxl_s": median(b["seconds"] for b, _ in rounds),
        "openpyxl_full_s": median(f["seconds"] for f in full_loads),
        "import_full_ratio": median(
            i["seconds"] / f["seconds"] for (_, i), f in zip(rounds, full_loads, strict=True)
        ),
        "import_s": median(i["seconds"] for _, i in rounds),
        "reimport_s": median(i["reimport_seconds"] for _, i in rounds),
        "import_ratio": median(i["seconds"] / b["seconds"] for b, i in rounds),
        "reimport_ratio": median(i["reimport_seconds"] / i["seconds"] for _, i in rounds),
        "import_peak_mb": traced_import["traced_peak_mb"],
        "openpyxl_peak_mb": traced_openpyxl["traced_peak_mb"],
        "import_rss_mb": median(i["rss_growth_mb"] for _, i in rounds),
        "openpyxl_rss_mb": median(b["rss_growth_mb"] for b, _ in rounds),
        "report": rounds[0][1]["report"],
    }


def measure_renders(databases: dict[str, str], urls: dict[str, str]) -> dict:
    """Uncached in-process render medians per database, rounds interleaved."""
    args = [f"{label}={url}" for label, url in urls.items()]
    samples: dict[str, list[dict]] = {name: [] for name in databases}
    for _ in range(ROUNDS):
        for name, url in databases.items():
            samples[name].append(worker(url, "render", str(RENDERS), *args, BENCH_PAGE_CACHE="off"))
    result = {}
    for name, runs in samples.items():
        result[name] = {
            label: {
                "ms": median(r[label]["ms"] for r in runs),
                "queries": runs[0][label]["queries"],
                "transaction_statements": runs[0][label]["transaction_statements"],
                "bytes": runs[0][label]["bytes"],
                "url": runs[0][label]["url"],
            }
            for label in urls
        }
    return result


def measure_pages(
    database_url: str, paths: dict[str, str], sizes: dict[str, int], redis_url: str = ""
) -> dict:
    port = free_port()
    log_path = OUT / f"gunicorn-{'redis' if redis_url else 'memory'}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed after the server stops
    args = [GUNICORN, "--bind", f"{HOST}:{port}"]
    if (ROOT / "gunicorn.conf.py").exists():
        args[1:1] = ["--config", str(ROOT / "gunicorn.conf.py")]
    server = subprocess.Popen(
        args,
        cwd=ROOT,
        env=child_env(database_url, REDIS_URL=redis_url),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    _started.append(server)
    try:
        workers = _wait_for_workers(server, port, log_path)
        concurrency = int(os.environ.get("BENCH_CONCURRENCY", workers))
        results: dict[str, dict] = {}
        for label, path in paths.items():
            ceiling = f"/bench/static/{sizes[label]}/"
            for url in (path, ceiling):
                _warm(port, url, concurrency)
            page_runs, ceiling_runs = [], []
            for _ in range(PAGE_ROUNDS):
                page_runs.append(_load(port, path, concurrency))
                ceiling_runs.append(_load(port, ceiling, concurrency))
            results[label] = {
                "rps": median(r.throughput for r in page_runs),
                "p50": median(r.p50 for r in page_runs),
                "p99": median(r.p99 for r in page_runs),
                "ceiling_rps": median(r.throughput for r in ceiling_runs),
                "ceiling_p50": median(r.p50 for r in ceiling_runs),
                "ratio": median(
                    p.throughput / c.throughput
                    for p, c in zip(page_runs, ceiling_runs, strict=True)
                ),
                "errors": sum(r.errors for r in page_runs + ceiling_runs),
                "conditional": _conditional(port, path),
            }
        return {"workers": workers, "concurrency": concurrency, "pages": results}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _warm(port: int, path: str, concurrency: int) -> None:
    """Until every worker has rendered (and cached) the page: latencies settle."""
    for _ in range(8):
        result = hammer(HOST, port, path, seconds=0.4, concurrency=concurrency,
                        headers=PROXY_HEADERS)  # fmt: skip
        if result.latencies_ms and max(result.latencies_ms) < 5 * result.p50 + 5:
            return


def redis_for_bench() -> str:
    """The local Redis when it answers, for the shared-cache page run."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    if url == "off":
        return ""
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        return ""
    return url


def forget_redis_keys(url: str) -> None:
    import redis

    server = redis.Redis.from_url(url)
    for key in server.scan_iter(f"bench-{SECRET_KEY[:12]}:*"):
        server.delete(key)


def _load(port: int, path: str, concurrency: int):
    return hammer(HOST, port, path, seconds=SECONDS, concurrency=concurrency, headers=PROXY_HEADERS)


def _conditional(port: int, path: str) -> str:
    """Does a repeat visitor get 304?"""
    _, head, _ = fetch(HOST, port, request_bytes(path, f"{HOST}:{port}", PROXY_HEADERS))
    etag = next(
        (line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n")
         if line.lower().startswith(b"etag:")),
        None,
    )  # fmt: skip
    if not etag:
        return "no ETag"
    status, _, _ = fetch(
        HOST, port, request_bytes(path, f"{HOST}:{port}", {**PROXY_HEADERS, "If-None-Match": etag})
    )
    return str(status)


def _wait_for_workers(server: subprocess.Popen, port: int, log_path: Path) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log_path}")
        try:
            status, _, _ = fetch(HOST, port, request_bytes("/healthz", f"{HOST}:{port}",
                                                           PROXY_HEADERS))  # fmt: skip
            if status:
                break
        except OSError:
            time.sleep(0.2)
    time.sleep(1.0)  # let every worker finish booting
    text = log_path.read_text()
    return max(1, text.count("Booting worker"))


# --- output ---------------------------------------------------------------------------------
def table(title: str, headers: list[str], rows: list[list]) -> None:
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [max(_width(h), *(_width(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print(f"\n{title}")
    print("  ".join(_pad(h, w, i) for i, (h, w) in enumerate(zip(headers, widths, strict=True))))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(_pad(c, w, i) for i, (c, w) in enumerate(zip(row, widths, strict=True))))


def _width(text: str) -> int:
    # Hangul is two columns wide in a terminal.
    return sum(2 if "\uac00" <= ch <= "\ud7a3" else 1 for ch in text)


def _pad(text: str, width: int, index: int) -> str:
    space = " " * (width - _width(text))
    return text + space if index == 0 else space + text


def _fmt(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"
    return str(value)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


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
        f"medians of {ROUNDS} runs ({PAGE_ROUNDS} page/ceiling pairs of {SECONDS:g} s)"
    )
    try:
        _main(dbs, began)
    finally:
        stop_all()
        dbs.drop_all()


def _main(dbs: Databases, began: float) -> None:
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

    base = renders["1 year"]
    paths = {k: v["url"] for k, v in base.items()}
    sizes = {k: v["bytes"] for k, v in base.items()}
    print("  3/5 pages through gunicorn, per-process memory cache …", flush=True)
    pages = {"per-process memory cache": measure_pages(one_year, paths, sizes)}
    redis_url = redis_for_bench()
    if redis_url:
        print("  4/5 pages through gunicorn, shared Redis cache …", flush=True)
        try:
            pages["shared Redis cache"] = measure_pages(one_year, paths, sizes, redis_url)
        finally:
            forget_redis_keys(redis_url)

    if os.environ.get("BENCH_PROFILE"):
        print("  5/5 profiles …", flush=True)
        profile(dbs, Path(sheets["x50"]["path"]), one_year, big_year)

    report(imp, renders, cached, weight, pages, sheets, began)


def profile(dbs: Databases, sheet: Path, one_year: str, big_year: str) -> None:
    text = run([PYTHON, "-m", "bench.worker", "profile-import", str(sheet)], dbs.copy("profile"))
    (OUT / "profile-import.txt").write_text(text)
    for name, url in (("one-year", one_year), ("440-programs", big_year)):
        text = run(
            [PYTHON, "-m", "bench.worker", "profile-render", "5", *PAGES.values()],
            url, BENCH_PAGE_CACHE="off",
        )  # fmt: skip
        (OUT / f"profile-pages-{name}.txt").write_text(text)
    print(f"  profiles written to {OUT}/profile-*.txt")


def report(imp, renders, cached, weight, pages, sheets, began) -> None:
    misses = []

    def check(ok: bool, what: str) -> str:
        if not ok:
            misses.append(what)
        return verdict(ok)

    table(
        f"1. Import: generated sheet 50× the 2019 plan ({imp['programs']:,} programs, "
        f"{imp['file_mb']:.2f} MB; 2019 plan has {sheets['programs_2019']} programs)",
        ["measure", "value", "ratio", "target", ""],
        [
            ["openpyxl read-only, every value (s)", imp["openpyxl_s"], "", "baseline", ""],
            ["import_programs, empty database (s)", imp["import_s"], imp["import_ratio"],
             "≤ 2× openpyxl", check(imp["import_ratio"] <= TARGETS["import"], "import")],
            ["openpyxl load_workbook, default mode (s)", imp["openpyxl_full_s"],
             imp["import_full_ratio"], "import ÷ it, for reference", ""],
            ["re-import, unchanged (s)", imp["reimport_s"], imp["reimport_ratio"],
             "≤ 0.5× import", check(imp["reimport_ratio"] <= TARGETS["reimport"], "re-import")],
            ["import peak traced memory (MB)", imp["import_peak_mb"],
             imp["import_peak_mb"] / imp["file_mb"], "÷ file size", ""],
            ["openpyxl peak traced memory (MB)", imp["openpyxl_peak_mb"],
             imp["import_peak_mb"] / imp["openpyxl_peak_mb"], "import ÷ openpyxl", ""],
            ["import RSS growth (MB)", imp["import_rss_mb"],
             imp["import_rss_mb"] / max(imp["openpyxl_rss_mb"], 0.1), "import ÷ openpyxl", ""],
            ["openpyxl RSS growth (MB)", imp["openpyxl_rss_mb"], "", "", ""],
        ],
    )  # fmt: skip
    print(f"  import report: {' '.join(imp['report'])}")

    for cache, run in pages.items():
        rows = []
        for label, figures in run["pages"].items():
            ok = figures["ratio"] >= TARGETS["throughput"] and not figures["errors"]
            rows.append([
                label, figures["rps"], figures["p50"], figures["p99"], figures["ceiling_rps"],
                figures["ceiling_p50"], figures["ratio"], figures["errors"],
                figures["conditional"], check(ok, f"throughput {label} ({cache})"),
            ])  # fmt: skip
        table(
            f"2. Pages through gunicorn, {cache} ({run['workers']} sync workers, "
            f"{run['concurrency']} concurrent clients, warm) ÷ a static body of the same size",
            ["page", "req/s", "p50 ms", "p99 ms", "ceiling req/s", "ceiling p50", "÷ ceiling",
             "errors", "304?", "≥ 0.5×"],
            rows,
        )  # fmt: skip

    one, ten, big = renders["1 year"], renders["10 years"], renders["440 programs"]
    rows = []
    for label in PAGES:
        years = ten[label]["ms"] / one[label]["ms"]
        programs = big[label]["ms"] / one[label]["ms"]
        rows.append([
            label, one[label]["ms"], ten[label]["ms"], years,
            check(years <= TARGETS["years"], f"growth years {label}"),
            big[label]["ms"], programs,
            check(programs <= TARGETS["programs"], f"growth programs {label}"),
        ])  # fmt: skip
    table(
        "3. Growth: uncached render ms through the middleware (viewing 2019), medians",
        ["page", "1 year", "10 years", "ratio", "≤ 1.3×", "440 programs", "ratio", "≤ 12×"],
        rows,
    )

    rows = []
    for label in HTML_PAGES:
        page = weight["pages"][label]
        rows.append([
            label, page["html_bytes"], page["html_gzip_bytes"], page["requests"],
            check(page["requests"] <= TARGETS["requests"], f"requests {label}"),
            " ".join(Path(a).name for a in page["assets"]),
            " ".join(Path(a).name for a in page["icons"]) or "-",
        ])  # fmt: skip
    table(
        "4. Weight (requests: the HTML and what it needs to render; icons listed apart)",
        ["page", "HTML bytes", "gzip bytes", "requests", "≤ 3", "needed", "icon"],
        rows,
    )
    css_js_kb = weight["css_js_gzip_bytes"] / 1024
    catalogue_kb = weight["pages"]["catalogue"]["html_gzip_bytes"] / 1024
    print(
        f"  CSS+JS total {css_js_kb:.1f} KB gzip (≤ 30 KB: "
        f"{check(css_js_kb <= TARGETS['css_js_kb'], 'CSS+JS weight')}): "
        + ", ".join(f"{Path(a).name} {b:,} B" for a, b in weight["css_js"].items())
    )
    print(
        f"  catalogue HTML for 2019 {catalogue_kb:.1f} KB gzip (≤ 60 KB: "
        f"{check(catalogue_kb <= TARGETS['catalogue_kb'], 'catalogue weight')})"
    )

    control = {one[label]["transaction_statements"] for label in PAGES}
    table(
        "5. Queries per page (1 year of data; plus "
        + "/".join(str(n) for n in sorted(control))
        + " transaction statements each, the consistent-read snapshot)",
        ["page", "uncached", "cached", "uncached, 10 years", "uncached, 440 programs"],
        [
            [label, one[label]["queries"], cached[label]["queries"], ten[label]["queries"],
             big[label]["queries"]]
            for label in PAGES
        ],
    )  # fmt: skip

    load = os.getloadavg()
    print(
        f"\n{len(misses)} target(s) missed{': ' + ', '.join(misses) if misses else ''}. "
        f"Took {time.monotonic() - began:.0f} s; load average at end {load[0]:.2f}."
    )


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
