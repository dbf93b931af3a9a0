"""Page figures: uncached renders in-process (growth, queries), and warm pages
through production gunicorn (tools.server) ÷ /healthz through the same stack,
with the bytes each encoding sends."""

from __future__ import annotations

import gzip
import os

import brotli

from tools import server
from tools.bench.common import (
    BROWSER_HEADERS,
    CACHE_PREFIX,
    HEALTHZ,
    HTML_PAGES,
    OUT,
    PAGE_ROUNDS,
    PROXY_HEADERS,
    RENDERS,
    ROUNDS,
    SECONDS,
    median,
)
from tools.bench.databases import bench_env, worker
from tools.bench.load import LoadResult, fetch, hammer, header, request_bytes
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
    database_url: str, paths: dict[str, str], redis_url: str = "", env: dict | None = None
) -> dict:
    """Each warm page ÷ /healthz in requests per second, pair by pair, every
    request as a browser sends it (br accepted); and each HTML page's bodies in
    every encoding the server offers. env: further production settings."""
    stamps = "stamp-files" if (env or {}).get("DJANGO_STAMP_DIR") else "stamps-in-cache"
    log_path = OUT / f"gunicorn-{'redis' if redis_url else 'memory'}-{stamps}.log"
    with server.serve(
        database_url,
        log_path=log_path,
        redis_url=redis_url,
        static_root=OUT / "static",
        env={**bench_env(), **(env or {})},
    ) as gunicorn:
        port = gunicorn.port
        concurrency = int(os.environ.get("BENCH_CONCURRENCY", gunicorn.workers))
        results = {
            label: _against_healthz(port, path, concurrency) for label, path in paths.items()
        }
        compression = {
            label: compression_figures(_every_encoding(port, paths[label]))
            for label in HTML_PAGES
            if label in paths
        }
        return {
            "workers": gunicorn.workers,
            "concurrency": concurrency,
            "pages": results,
            "compression": compression,
        }


def _against_healthz(port: int, path: str, concurrency: int) -> dict:
    for url in (path, HEALTHZ):
        _warm(port, url, concurrency)
    page_runs: list[LoadResult] = []
    healthz_runs: list[LoadResult] = []
    pair = [(page_runs, path, "br"), (healthz_runs, HEALTHZ, "identity")]
    for n in range(PAGE_ROUNDS):
        # Alternate which goes first, so a drifting load favours neither.
        for runs, url, coding in pair if n % 2 == 0 else pair[::-1]:
            runs.append(_load(port, url, concurrency, coding))
    return {
        **pair_figures(page_runs, healthz_runs),
        "encoding": _served_encoding(port, path),
        "conditional": _conditional(port, path),
    }


def pair_figures(page_runs: list[LoadResult], healthz_runs: list[LoadResult]) -> dict:
    """Medians of the page's runs and of /healthz's, and the median of the
    ratios pair by pair (each pair ran back to back, under the same load)."""
    return {
        "rps": median(r.throughput for r in page_runs),
        "p50": median(r.p50 for r in page_runs),
        "p99": median(r.p99 for r in page_runs),
        "healthz_rps": median(r.throughput for r in healthz_runs),
        "healthz_p50": median(r.p50 for r in healthz_runs),
        "ratio": median(
            p.throughput / h.throughput if h.throughput else 0.0
            for p, h in zip(page_runs, healthz_runs, strict=True)
        ),
        "requests": sum(r.requests for r in page_runs + healthz_runs),
        "errors": sum(r.errors for r in page_runs + healthz_runs),
    }


_DECODERS = {"br": brotli.decompress, "gzip": gzip.decompress}


def compression_figures(responses: dict[str, tuple[int, str, bytes]]) -> dict:
    """Sizes of one page as served plain, br and gzip, br ÷ plain, and what is
    wrong, if anything: a status other than 200, another encoding than asked
    for, or a compressed body that does not decode to the plain one.
    `responses`: coding asked for -> (status, Content-Encoding sent, body)."""
    problems = []
    raw = responses["identity"][2]
    for coding, (status, sent, body) in responses.items():
        if status != 200:
            problems.append(f"{coding}: status {status}")
        elif sent != coding:
            problems.append(f"{coding} asked, {sent} sent")
        elif coding in _DECODERS and _decoded(coding, body) != raw:
            problems.append(f"{coding} does not decode to the plain page")
    return {
        "raw_bytes": len(raw),
        "br_bytes": len(responses["br"][2]),
        "gzip_bytes": len(responses["gzip"][2]),
        "br_ratio": len(responses["br"][2]) / len(raw) if raw else float("nan"),
        "problems": problems,
    }


def _decoded(coding: str, body: bytes) -> bytes | None:
    try:
        return _DECODERS[coding](body)
    except Exception:  # a corrupt body: brotli.error, OSError, EOFError, zlib.error
        return None


def _every_encoding(port: int, path: str) -> dict[str, tuple[int, str, bytes]]:
    """The page asked for plain (no Accept-Encoding), br only and gzip only."""
    responses = {}
    for coding in ("identity", "br", "gzip"):
        headers = (
            PROXY_HEADERS if coding == "identity" else {**PROXY_HEADERS, "Accept-Encoding": coding}
        )
        status, head, body = fetch(HOST, port, request_bytes(path, f"{HOST}:{port}", headers))
        responses[coding] = (status, header(head, "Content-Encoding") or "identity", body)
    return responses


def _served_encoding(port: int, path: str) -> str:
    """What a browser's request for the page gets: status and Content-Encoding."""
    status, head, _ = fetch(HOST, port, request_bytes(path, f"{HOST}:{port}", BROWSER_HEADERS))
    encoding = header(head, "Content-Encoding") or "identity"
    return encoding if status == 200 else f"{status} {encoding}"


def _warm(port: int, path: str, concurrency: int) -> None:
    """Until every worker has rendered (and cached) the page: latencies settle."""
    for _ in range(8):
        result = hammer(HOST, port, path, seconds=0.4, concurrency=concurrency,
                        headers=BROWSER_HEADERS)  # fmt: skip
        if result.latencies_ms and max(result.latencies_ms) < 5 * result.p50 + 5:
            return


def _load(port: int, path: str, concurrency: int, coding: str) -> LoadResult:
    return hammer(
        HOST,
        port,
        path,
        seconds=SECONDS,
        concurrency=concurrency,
        headers=BROWSER_HEADERS,
        expect_encoding=coding,
    )


def _conditional(port: int, path: str) -> str:
    """Does a repeat visitor get 304?"""
    _, head, _ = fetch(HOST, port, request_bytes(path, f"{HOST}:{port}", BROWSER_HEADERS))
    etag = header(head, "ETag")
    if not etag:
        return "no ETag"
    headers = {**BROWSER_HEADERS, "If-None-Match": etag}
    status, _, _ = fetch(HOST, port, request_bytes(path, f"{HOST}:{port}", headers))
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
