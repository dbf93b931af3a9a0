"""What `make bench` measures, the targets it checks, and its knobs (environment)."""

from __future__ import annotations

import os
import secrets
import statistics
from pathlib import Path

from tools.server import ROOT

OUT = ROOT / "tools" / "bench" / "out"
FIXTURE = Path(os.environ.get("BENCH_FIXTURE") or ROOT / "fixtures" / "plan-2019.xlsx")
SETTINGS_MODULE = os.environ.get("BENCH_SETTINGS_MODULE", "tools.bench.settings")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# Whole import and openpyxl processes, side by side: short, so more of them.
IMPORT_ROUNDS = int(os.environ.get("BENCH_IMPORT_ROUNDS", "5"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "0.5"))
# Short page/healthz pairs, many of them: a burst of noise spoils one pair, not the median.
PAGE_ROUNDS = int(os.environ.get("BENCH_PAGE_ROUNDS", "9"))
RENDERS = int(os.environ.get("BENCH_RENDERS", "7"))
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# What a browser behind the TLS proxy sends: every page request of the load runs carries it.
BROWSER_HEADERS = {**PROXY_HEADERS, "Accept-Encoding": "br, gzip"}
# The reference each page's throughput is divided by: the trivial view that
# answers the load balancer, through the same gunicorn and middleware.
HEALTHZ = "/healthz"
# This run's keys in a Redis others may share, so they can be removed afterwards.
CACHE_PREFIX = f"bench-{secrets.token_hex(6)}"

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
    "throughput": 0.8,
    "br_ratio": 0.25,
    "years": 1.3,
    "programs": 12.0,
    "requests": 3,
    "css_js_kb": 30.0,
    "catalogue_kb": 60.0,
}


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")
