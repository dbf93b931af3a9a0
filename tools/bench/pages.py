"""Page figures: uncached renders in-process (growth, queries), and warm pages
through production gunicorn (tools.server) ÷ a static body of the same size."""

from __future__ import annotations

import os

from tools import server
from tools.bench.common import (
    CACHE_PREFIX,
    OUT,
    PAGE_ROUNDS,
    PROXY_HEADERS,
    RENDERS,
    ROUNDS,
    SECONDS,
    median,
)
from tools.bench.databases import bench_env, worker
from tools.bench.load import fetch, hammer, request_bytes
from tools.server import HOST


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
    log_path = OUT / f"gunicorn-{'redis' if redis_url else 'memory'}.log"
    with server.serve(
        database_url,
        log_path=log_path,
        redis_url=redis_url,
        static_root=OUT / "static",
        env=bench_env(),
    ) as gunicorn:
        port = gunicorn.port
        concurrency = int(os.environ.get("BENCH_CONCURRENCY", gunicorn.workers))
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
        return {"workers": gunicorn.workers, "concurrency": concurrency, "pages": results}


def _warm(port: int, path: str, concurrency: int) -> None:
    """Until every worker has rendered (and cached) the page: latencies settle."""
    for _ in range(8):
        result = hammer(HOST, port, path, seconds=0.4, concurrency=concurrency,
                        headers=PROXY_HEADERS)  # fmt: skip
        if result.latencies_ms and max(result.latencies_ms) < 5 * result.p50 + 5:
            return


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

    connection = redis.Redis.from_url(url)
    for key in connection.scan_iter(f"{CACHE_PREFIX}:*"):
        connection.delete(key)
