"""Shared by ops/loadtest.py and ops/restart_postgres_under_load.py: a scratch
database with the 2019 plan, production gunicorn on loopback, and a load
generator (processes × threads of keep-alive-free HTTP/1.1 clients, as the sync
workers close every connection) that records every request.

Only loopback addresses are used. The gunicorn runs with DJANGO_DEBUG=false and
DJANGO_BEHIND_PROXY=true; the clients play the TLS-terminating proxy by sending
X-Forwarded-Proto: https, so pages are served exactly as in production."""

import http.client
import json
import multiprocessing
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = BASE_DIR / ".venv" / "bin" / "python"
GUNICORN = BASE_DIR / ".venv" / "bin" / "gunicorn"
PLAN = BASE_DIR / "fixtures" / "plan-2019.xlsx"
HOST = "127.0.0.1"

# Share of each page type in the mix: what citizens mostly open.
MIX = {
    "catalogue": 20,
    "filtered": 20,
    "detail": 25,
    "calendar": 15,
    "ics": 10,
    "json": 10,
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- database ----------------------------------------------------------------------


def ensure_postgres_database(database_url: str) -> None:
    """Create the scratch database if it does not exist (never drops anything)."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")


def production_env(database_url: str, port: int, static_root: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_BEHIND_PROXY="true",
        DJANGO_STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
        GUNICORN_BIND=f"{HOST}:{port}",
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> str:
    completed = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}")
    return completed.stdout


def prepare_site(env: dict) -> None:
    """Migrate, import the shipped 2019 plan (idempotent), collect static files."""
    if env["DATABASE_URL"].startswith("postgres"):
        ensure_postgres_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput")
    if not PLAN.exists():
        sys.exit(f"{PLAN} is missing: the load needs the 2019 plan")
    manage(env, "import_programs", str(PLAN))
    manage(env, "collectstatic", "--noinput")


SITE_FACTS = """
import json
from programs.models import Plan, Program, SupportArea
year = Plan.objects.latest_year()
programs = list(Program.objects.for_year(year).values_list("pk", flat=True))
areas = list(SupportArea.objects.filter(plan_id=year).values_list("name", flat=True))
print("FACTS " + json.dumps({"year": year, "programs": programs, "areas": areas}))
"""


def site_urls(env: dict) -> dict[str, list[str]]:
    """The URLs of each page type, built from what the database holds."""
    output = manage(env, "shell", "-c", SITE_FACTS)
    facts = json.loads(next(line for line in output.splitlines() if line.startswith("FACTS "))[6:])
    if not facts["programs"]:
        sys.exit("the database holds no programs")
    year = facts["year"]
    filtered = []
    for area in facts["areas"]:
        filtered.append("/programs/?" + urlencode({"area": area}))
    for month in (3, 6, 9):
        filtered.append("/programs/?" + urlencode({"month": month, "kind": "application"}))
    filtered += ["/programs/?" + urlencode({"q": q}) for q in ("협동조합", "판로", "교육")]
    return {
        "catalogue": ["/", "/programs/", f"/programs/?year={year}"],
        "filtered": filtered,
        "detail": [f"/programs/{pk}/" for pk in facts["programs"]],
        "calendar": ["/calendar/", f"/calendar/{year}/3/", f"/calendar/{year}/10/"],
        "ics": ["/calendar.ics"] + [f"/programs/{pk}/calendar.ics" for pk in facts["programs"][:5]],
        "json": ["/programs.json", f"/programs.json?year={year}"],
    }


# --- gunicorn ------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    log_path: Path
    port: int

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_rss_mb(self) -> dict[int, float]:
        sizes = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue  # recycled between listing and reading
            kb = next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
            )
            sizes[pid] = kb / 1024
        return sizes

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_gunicorn(env: dict, port: int, workdir: Path) -> Server:
    log_path = workdir / "gunicorn.log"
    handle = log_path.open("w")
    process = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    server = Server(process, log_path, port)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited:\n{server.log_text()}")
        try:
            if fetch(port, "/healthz")[0] == 200 and len(server.worker_pids()) > 0:
                time.sleep(1)  # the other workers are forked right after the first
                log(f"gunicorn is up on {HOST}:{port} with {len(server.worker_pids())} workers")
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    sys.exit(f"gunicorn did not come up:\n{server.log_text()}")


def fetch(port: int, path: str, connection=None) -> tuple[int, int]:
    """One GET as the proxy would send it; returns (status, body bytes)."""
    conn = connection or http.client.HTTPConnection(HOST, port, timeout=35)
    try:
        conn.request(
            "GET",
            path,
            headers={
                "Host": HOST,
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "203.0.113.10",
                "Accept-Encoding": "gzip",
                "User-Agent": "portal-loadtest",
            },
        )
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        if connection is None:
            conn.close()


def check_every_url(port: int, urls: dict[str, list[str]]) -> None:
    for kind, paths in urls.items():
        for path in paths:
            status, _ = fetch(port, path)
            if status != 200:
                sys.exit(f"warm-up: {kind} {path} answered {status}")
    log(f"warm-up: all {sum(map(len, urls.values()))} URLs answer 200")


# --- load ------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    path: str
    started: float  # time.time()
    seconds: float
    status: int  # 0: no HTTP answer
    error: str = ""


def _client_thread(port, urls, weights, stop_at, stop, seed, samples):
    rng = random.Random(seed)
    kinds = list(weights)
    conn = http.client.HTTPConnection(HOST, port, timeout=35)
    while time.time() < stop_at and not stop.is_set():
        kind = rng.choices(kinds, weights=[weights[k] for k in kinds])[0]
        path = rng.choice(urls[kind])
        started = time.time()
        clock = time.perf_counter()
        try:
            status, _ = fetch(port, path, conn)
            error = "" if status == 200 else f"HTTP {status}"
        except (OSError, http.client.HTTPException) as exc:
            status, error = 0, f"{type(exc).__name__}: {exc}"
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=35)
        samples.append(Sample(kind, path, started, time.perf_counter() - clock, status, error))
    conn.close()


def _client_process(port, urls, weights, stop_at, stop, threads, seed, queue):
    samples: list[Sample] = []
    workers = [
        threading.Thread(
            target=_client_thread,
            args=(port, urls, weights, stop_at, stop, seed * 100 + n, samples),
        )
        for n in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put([(s.kind, s.path, s.started, s.seconds, s.status, s.error) for s in samples])


@dataclass
class Load:
    """Runs in the background for `seconds` or until `stop()`; `samples()` waits
    for the end and returns every request."""

    port: int
    urls: dict
    seconds: float
    processes: int = 2
    threads: int = 8
    started: float = field(default_factory=time.time)
    _procs: list = field(default_factory=list)
    _queue: object = None
    _stop: object = None

    def start(self) -> "Load":
        ctx = multiprocessing.get_context("fork")
        self._queue = ctx.Queue()
        self._stop = ctx.Event()
        self.started = time.time()
        stop_at = self.started + self.seconds
        for n in range(self.processes):
            proc = ctx.Process(
                target=_client_process,
                args=(
                    self.port,
                    self.urls,
                    MIX,
                    stop_at,
                    self._stop,
                    self.threads,
                    n + 1,
                    self._queue,
                ),
            )
            proc.start()
            self._procs.append(proc)
        return self

    def stop(self) -> None:
        self._stop.set()

    def samples(self) -> list[Sample]:
        collected = []
        for _ in self._procs:
            collected += [Sample(*row) for row in self._queue.get()]
        for proc in self._procs:
            proc.join()
        return sorted(collected, key=lambda s: s.started)


# --- report ---------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def latency_line(samples: list[Sample]) -> str:
    return latency_line_ms([s.seconds * 1000 for s in samples])


def latency_line_ms(ms: list[float]) -> str:
    if not ms:
        return "no requests"
    return (
        f"p50 {percentile(ms, 50):7.1f} ms  p95 {percentile(ms, 95):7.1f} ms  "
        f"p99 {percentile(ms, 99):7.1f} ms  max {max(ms):7.1f} ms"
    )


def print_summary(title: str, samples: list[Sample], seconds: float) -> None:
    errors = [s for s in samples if s.error]
    print(f"\n== {title}")
    print(
        f"requests {len(samples)}  errors {len(errors)}  "
        f"throughput {len(samples) / seconds:.1f} req/s over {seconds:.1f} s"
    )
    print(f"all        {latency_line(samples)}")
    for kind in MIX:
        of_kind = [s for s in samples if s.kind == kind]
        print(f"{kind:<10} {latency_line(of_kind)}  (n={len(of_kind)})")
    for line in sorted({s.error for s in errors})[:10]:
        count = sum(1 for s in errors if s.error == line)
        print(f"  error x{count}: {line}")


def rss_line(sizes: dict[int, float]) -> str:
    if not sizes:
        return "no workers"
    values = list(sizes.values())
    return (
        f"{len(values)} workers, RSS MB min {min(values):.1f} / median "
        f"{statistics.median(values):.1f} / max {max(values):.1f}"
    )


def scratch_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
