"""A small closed-loop HTTP load generator for loopback benchmarks.

Threads each send one request per connection (gunicorn's sync workers close
the connection after every response anyway) from pre-built bytes and read to
EOF, so the client spends a few tens of microseconds per request and the
figures are the server's. Every request's status (and, when asked, its
Content-Encoding) is checked: a benchmark that counted errors, or plain bodies
where compressed ones were asked for, as throughput would flatter the server.
"""

from __future__ import annotations

import socket
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    body_bytes: int

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        """The p-th percentile latency (1-99), interpolated between the two
        nearest requests; the slowest request is the 100th."""
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[p - 1]

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p99(self) -> float:
        return self.percentile(99)


def request_bytes(path: str, host: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def fetch(host: str, port: int, raw: bytes, timeout: float = 30) -> tuple[int, bytes, bytes]:
    """One request: (status, header bytes, body bytes)."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(262144):
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head[9:12]) if head.startswith(b"HTTP/1.") else 0
    return status, head, body


def header(head: bytes, name: str) -> str | None:
    """The value of response header `name` (any case) in raw header bytes, or None."""
    wanted = name.lower().encode("latin-1") + b":"
    for line in head.split(b"\r\n")[1:]:
        if line.lower().startswith(wanted):
            return line[len(wanted) :].strip().decode("latin-1")
    return None


def answered_as_expected(
    status: int, head: bytes, expect_status: int, expect_encoding: str | None
) -> bool:
    """The status asked for and, when one is named, that Content-Encoding
    ("identity" for none)."""
    if status != expect_status:
        return False
    if expect_encoding is None:
        return True
    return (header(head, "Content-Encoding") or "identity") == expect_encoding


def hammer(
    host: str,
    port: int,
    path: str,
    *,
    seconds: float,
    concurrency: int,
    headers: dict[str, str] | None = None,
    expect_status: int = 200,
    expect_encoding: str | None = None,
) -> LoadResult:
    """Keep `concurrency` requests in flight for `seconds`. A response with
    another status, or another Content-Encoding than `expect_encoding` when
    that is given, counts as an error."""
    raw = request_bytes(path, f"{host}:{port}", headers)
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"errors": 0, "bytes": 0}

    def worker():
        mine, errors, size = [], 0, 0
        while True:
            started = time.perf_counter()
            if started >= deadline:
                break
            try:
                status, head, body = fetch(host, port, raw)
            except OSError:
                status, head, body = 0, b"", b""
            mine.append((time.perf_counter() - started) * 1000)
            if not answered_as_expected(status, head, expect_status, expect_encoding):
                errors += 1
            size += len(body)
        with lock:
            latencies.extend(mine)
            counts["errors"] += errors
            counts["bytes"] += size

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return LoadResult(
        requests=len(latencies),
        errors=counts["errors"],
        seconds=elapsed,
        latencies_ms=latencies,
        body_bytes=counts["bytes"] // max(1, len(latencies)),
    )
