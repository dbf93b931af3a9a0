"""One measurement in a fresh interpreter: `python -m tools.bench.worker TASK ...`.

`tools.bench.run` starts this once per measurement, with DATABASE_URL pointing at a
scratch database, so every run starts from the same state and the parent can
read ru_maxrss per task. It prints one JSON object on its last line.

Tasks:
  openpyxl FILE            openpyxl reading every cell value of FILE, as the importer does
  import FILE              import_programs FILE into an empty database, then again unchanged
  sheets OUT_DIR           write the generated sheets from the imported 2019 plan
  render URL...            render pages in-process (full middleware), median ms and queries
  weight URL...            HTML gzip bytes, static assets and requests per page
  profile-import FILE      pyinstrument over one import (text to stdout)
  profile-render URL...    pyinstrument over uncached renders (text to stdout)
"""

from __future__ import annotations

import gc
import gzip
import io
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tools.bench.settings")


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _setup():
    import django

    django.setup()


def _emit(result: dict) -> None:
    print(json.dumps(result, ensure_ascii=False))


# --- import -----------------------------------------------------------------------------
def read_with_openpyxl(path: str) -> int:
    """What the importer asks of openpyxl: open read-only and read every value."""
    import openpyxl

    cells = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(
            io.BytesIO(Path(path).read_bytes()), read_only=True, data_only=True, keep_links=False
        )
        for ws in workbook.worksheets:
            ws.reset_dimensions()
            rows = [tuple(values) for values in ws.iter_rows(values_only=True)]
            cells += sum(len(row) for row in rows)
        workbook.close()
    return cells


def task_openpyxl(path: str, trace: bool = False) -> dict:
    _setup()  # the same interpreter state as the import, so RSS compares like with like
    gc.collect()
    before = _rss_mb()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    cells = read_with_openpyxl(path)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    return {
        "seconds": elapsed,
        "cells": cells,
        "traced_peak_mb": peak / 2**20,
        "rss_growth_mb": _max_rss_mb() - before,
    }


def task_import(path: str, trace: bool = False) -> dict:
    _setup()
    from django.core.management import call_command

    from programs.models import Program

    out = io.StringIO()
    gc.collect()
    before = _rss_mb()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    call_command("import_programs", path, stdout=out)
    first = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    growth = _max_rss_mb() - before
    started = time.perf_counter()
    call_command("import_programs", path, stdout=out)
    again = time.perf_counter() - started
    return {
        "seconds": first,
        "reimport_seconds": again,
        "programs": Program.objects.count(),
        "traced_peak_mb": peak / 2**20,
        "rss_growth_mb": growth,
        "report": out.getvalue().strip().splitlines()[-1:],
    }


# --- generated data -------------------------------------------------------------------
def task_sheets(out_dir: str) -> dict:
    """Sheets in the shipped layout, built from the imported 2019 plan:
    x10 and x50 copies of its programs in one year, and ten years of it."""
    _setup()
    from openpyxl import Workbook

    from programs.models import Program
    from programs.sheet import write

    base = write.sheet_sections(Program.objects.for_year(2019).for_listing().in_sheet_order())
    out = Path(out_dir)
    written = {}
    for factor in (10, 50):
        path = out / f"plan-2019-x{factor}.xlsx"
        write.write_plan_workbook(
            path, write.default_title(2019), write.sheet_name_for(2019),
            multiplied(base, factor),
        )  # fmt: skip
        written[f"x{factor}"] = {"path": str(path), "bytes": path.stat().st_size}

    workbook = Workbook()
    workbook.remove(workbook.active)
    for year in range(2010, 2020):
        ws = workbook.create_sheet(write.sheet_name_for(year))
        write.write_plan_sheet(ws, write.default_title(year), base)
    path = out / "plan-2010-2019.xlsx"
    workbook.save(path)
    written["years"] = {"path": str(path), "bytes": path.stat().st_size}
    written["programs_2019"] = sum(len(a.programs) for s in base for a in s.areas)
    return written


def multiplied(sections, factor: int):
    """The same sections and areas, each area holding `factor` copies of its
    programs (copy n named "사업명 (n)"): a bigger year of the same plan."""
    from dataclasses import replace

    from programs.sheet.write import SheetArea, SheetSection

    return [
        SheetSection(
            section.name,
            [
                SheetArea(
                    area.name,
                    [
                        replace(program, name=program.name if n == 1 else f"{program.name} ({n})")
                        for n in range(1, factor + 1)
                        for program in area.programs
                    ],
                )
                for area in section.areas
            ],
        )
        for section in sections
    ]


# --- pages ------------------------------------------------------------------------------
def resolve(urls: list[str]) -> list[str]:
    """Fill `{detail}` with the first 2019 program and follow canonical redirects."""
    from programs.models import Program

    first = Program.objects.for_year(2019).in_sheet_order().values_list("pk", flat=True).first()
    return [url.replace("{detail}", str(first)) for url in urls]


def _client():
    from django.test import Client

    return Client(headers={"x-forwarded-proto": "https"}, HTTP_HOST="127.0.0.1")


def _get(client, url):
    response = client.get(url, follow=True)
    if response.status_code != 200:
        raise SystemExit(f"{url}: status {response.status_code}")
    return response


# BEGIN/COMMIT around each public page (portal.middleware.ConsistentReadMiddleware)
# are counted apart from the queries that fetch data.
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET"}


def task_render(urls: list[str], repeat: int) -> dict:
    """Median in-process render time through the full middleware stack."""
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client()
    results = {}
    for label_url in urls:
        label, url = label_url.split("=", 1)
        url = resolve([url])[0]
        final = _get(client, url)
        path = final.request["PATH_INFO"] + (
            "?" + final.request["QUERY_STRING"] if final.request.get("QUERY_STRING") else ""
        )
        _get(client, path)
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        statements = [q["sql"].lstrip().split(None, 1)[0].upper() for q in captured]
        control = sum(word in TRANSACTION_CONTROL for word in statements)
        results[label] = {
            "url": path,
            "ms": statistics.median(timings),
            "queries": len(statements) - control,
            "transaction_statements": control,
            "bytes": len(response.content),
        }
    return results


class _Assets:
    """Sub-resources a browser fetches for a page: those it needs to render it,
    and icons (fetched once, not needed to show the page)."""

    def __init__(self):
        from html.parser import HTMLParser

        self.urls: list[str] = []
        self.icons: list[str] = []
        outer = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                attr = dict(attrs)
                rel = set((attr.get("rel") or "").lower().split())
                if tag == "link" and rel & {"icon", "apple-touch-icon", "manifest"}:
                    outer.icons.append(attr.get("href") or "")
                elif tag == "link" and rel & {"stylesheet", "preload", "modulepreload"}:
                    outer.urls.append(attr.get("href") or "")
                elif tag in {"script", "img", "iframe", "source", "video", "audio"} and attr.get(
                    "src"
                ):
                    outer.urls.append(attr["src"])

        self.parser = Parser()


def task_weight(urls: list[str]) -> dict:
    import re

    _setup()
    from django.conf import settings

    client = _client()
    static_root = Path(settings.STATIC_ROOT)
    pages = {}
    assets: dict[str, int] = {}
    for label_url in urls:
        label, url = label_url.split("=", 1)
        response = _get(client, resolve([url])[0])
        content = response.content
        found = _Assets()
        if response["Content-Type"].startswith("text/html"):
            found.parser.feed(content.decode())
        fetched = []
        for asset in dict.fromkeys(u for u in found.urls if u):
            fetched.append(asset)
            if asset.startswith(settings.STATIC_URL):
                path = static_root / asset[len(settings.STATIC_URL) :]
                data = path.read_bytes()
                assets[asset] = len(gzip.compress(data, 9))
                if path.suffix == ".css":  # fonts and images the stylesheet pulls in
                    for ref in re.findall(rb"url\(\s*['\"]?([^'\")]+)", data):
                        if not ref.startswith(b"data:"):
                            fetched.append(ref.decode())
        pages[label] = {
            "html_bytes": len(content),
            "html_gzip_bytes": len(gzip.compress(content, 6)),
            "requests": 1 + len(fetched),
            "assets": fetched,
            "icons": [icon for icon in dict.fromkeys(found.icons) if icon],
        }
    css_js = {a: size for a, size in assets.items() if a.endswith((".css", ".js"))}
    return {"pages": pages, "css_js_gzip_bytes": sum(css_js.values()), "css_js": css_js}


# --- profiles ---------------------------------------------------------------------------
def task_profile_import(path: str) -> str:
    _setup()
    from django.core.management import call_command
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    with profiler:
        call_command("import_programs", path, stdout=io.StringIO())
    return profiler.output_text(unicode=True, color=False, show_all=False)


def task_profile_render(urls: list[str], repeat: int) -> str:
    _setup()
    from pyinstrument import Profiler

    client = _client()
    paths = resolve(urls)
    for path in paths:
        _get(client, path)
    profiler = Profiler(interval=0.0002)
    with profiler:
        for _ in range(repeat):
            for path in paths:
                client.get(path)
    return profiler.output_text(unicode=True, color=False, show_all=False)


def main(argv: list[str]) -> None:
    task, *args = argv
    trace = "--trace" in args
    args = [a for a in args if a != "--trace"]
    if task == "openpyxl":
        _emit(task_openpyxl(args[0], trace))
    elif task == "import":
        _emit(task_import(args[0], trace))
    elif task == "sheets":
        _emit(task_sheets(args[0]))
    elif task == "render":
        _emit(task_render(args[1:], int(args[0])))
    elif task == "weight":
        _emit(task_weight(args))
    elif task == "profile-import":
        print(task_profile_import(args[0]))
    elif task == "profile-render":
        print(task_profile_render(args[1:], int(args[0])))
    else:
        raise SystemExit(f"unknown task {task!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
