"""Mixed traffic for `make loadtest` and the PostgreSQL-restart drill: processes ×
threads of HTTP/1.1 clients, each request recorded, and the summaries printed.

The clients play the TLS-terminating proxy in front of production gunicorn
(tools.server): every request carries the proxy's headers, so pages are served
exactly as in production. Only loopback addresses are used."""

from __future__ import annotations

import http.client
import multiprocessing
import random
import statistics
import threading
import time
from dataclasses import dataclass, field

from tools.server import HOST

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


def fetch(port: int, path: str, proxy_headers: dict, connection=None) -> tuple[int, int]:
    """One GET as the proxy would pass it on; returns (status, body bytes)."""
    conn = connection or http.client.HTTPConnection(HOST, port, timeout=35)
    try:
        conn.request(
            "GET",
            path,
            headers={
                **proxy_headers,
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


def check_every_url(port: int, proxy_headers: dict, urls: dict[str, list[str]]) -> None:
    for kind, paths in urls.items():
        for path in paths:
            status, _ = fetch(port, path, proxy_headers)
            if status != 200:
                raise SystemExit(f"warm-up: {kind} {path} answered {status}")
    log(f"warm-up: all {sum(map(len, urls.values()))} URLs answer 200")


@dataclass
class Sample:
    kind: str
    path: str
    started: float  # time.time()
    seconds: float
    status: int  # 0: no HTTP answer
    error: str = ""


@dataclass(frozen=True)
class Target:
    """Where the clients send what: picklable, for the client processes."""

    port: int
    proxy_headers: dict
    urls: dict


def _client_thread(target: Target, stop_at, stop, seed, samples):
    rng = random.Random(seed)  # reproducible mixes, not secrets
    kinds = list(MIX)
    conn = http.client.HTTPConnection(HOST, target.port, timeout=35)
    while time.time() < stop_at and not stop.is_set():
        kind = rng.choices(kinds, weights=[MIX[k] for k in kinds])[0]
        path = rng.choice(target.urls[kind])
        started = time.time()
        clock = time.perf_counter()
        try:
            status, _ = fetch(target.port, path, target.proxy_headers, conn)
            error = "" if status == 200 else f"HTTP {status}"
        except (OSError, http.client.HTTPException) as exc:
            status, error = 0, f"{type(exc).__name__}: {exc}"
            conn.close()
            conn = http.client.HTTPConnection(HOST, target.port, timeout=35)
        samples.append(Sample(kind, path, started, time.perf_counter() - clock, status, error))
    conn.close()


def _client_process(target: Target, stop_at, stop, threads, seed, queue):
    samples: list[Sample] = []
    workers = [
        threading.Thread(
            target=_client_thread, args=(target, stop_at, stop, seed * 100 + n, samples)
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

    target: Target
    seconds: float
    processes: int = 2
    threads: int = 8
    started: float = field(default_factory=time.time)
    _procs: list = field(default_factory=list)
    _queue: object = None
    _stop: object = None

    def start(self) -> Load:
        ctx = multiprocessing.get_context("fork")
        self._queue = ctx.Queue()
        self._stop = ctx.Event()
        self.started = time.time()
        stop_at = self.started + self.seconds
        for n in range(self.processes):
            proc = ctx.Process(
                target=_client_process,
                args=(self.target, stop_at, self._stop, self.threads, n + 1, self._queue),
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


def latency_line(samples: list[Sample]) -> str:
    return latency_line_ms([s.seconds * 1000 for s in samples])


def latency_line_ms(ms: list[float]) -> str:
    if not ms:
        return "no requests"
    if len(ms) == 1:
        p50 = p95 = p99 = ms[0]
    else:
        cuts = statistics.quantiles(ms, n=100, method="inclusive")
        p50, p95, p99 = cuts[49], cuts[94], cuts[98]
    return f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms  max {max(ms):7.1f} ms"


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
