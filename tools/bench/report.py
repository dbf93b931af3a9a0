"""The bench's output: one table per kind of figure, each with its target and verdict."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tools.bench.common import HTML_PAGES, PAGES, TARGETS


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


class Verdicts:
    """'met' or 'MISSED' for each target, remembering what was missed."""

    def __init__(self):
        self.misses: list[str] = []

    def __call__(self, ok: bool, what: str) -> str:
        if not ok:
            self.misses.append(what)
        return "met" if ok else "MISSED"


def report(imp, renders, cached, weight, pages, sheets, began) -> None:
    check = Verdicts()
    import_table(imp, sheets, check)
    for cache, run in pages.items():
        pages_table(cache, run, check)
    compression_table(next(iter(pages.values()))["compression"], check)
    growth_table(renders, check)
    weight_table(weight, check)
    queries_table(renders, cached)
    load = os.getloadavg()
    misses = check.misses
    print(
        f"\n{len(misses)} target(s) missed{': ' + ', '.join(misses) if misses else ''}. "
        f"Took {time.monotonic() - began:.0f} s; load average at end {load[0]:.2f}."
    )


def import_table(imp, sheets, check: Verdicts) -> None:
    table(
        f"1. Import: generated sheet 50× the 2019 plan ({imp['programs']:,} programs, "
        f"{imp['file_mb']:.2f} MB; 2019 plan has {sheets['programs_2019']} programs); "
        f"whole processes: medians of {imp['process_runs']} pairs",
        ["measure", "value", "ratio", "target", ""],
        [
            ["process: openpyxl.load_workbook(FILE) (s)", imp["openpyxl_process_s"], "",
             "baseline", ""],
            ["process: manage.py import_programs FILE, empty database (s)",
             imp["import_process_s"], imp["process_ratio"], "≤ 2× openpyxl",
             check(imp["process_ratio"] <= TARGETS["import"], "import")],
            ["in-process: openpyxl read-only, every value (s)", imp["openpyxl_s"], "", "", ""],
            ["in-process: import_programs, empty database (s)", imp["import_s"],
             imp["import_ratio"], "÷ read-only, for reference", ""],
            ["in-process: re-import, unchanged (s)", imp["reimport_s"], imp["reimport_ratio"],
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


def page_verdict(figures: dict) -> bool:
    """Fast enough, and every response a 200 in br."""
    return (
        figures["ratio"] >= TARGETS["throughput"]
        and not figures["errors"]
        and figures["encoding"] == "br"
    )


def pages_table(cache: str, run: dict, check: Verdicts) -> None:
    rows = []
    for label, figures in run["pages"].items():
        ok = check(page_verdict(figures), f"throughput {label} ({cache})")
        rows.append([
            label, figures["encoding"], figures["rps"], figures["p50"], figures["p99"],
            figures["healthz_rps"], figures["healthz_p50"], figures["ratio"],
            f"{figures['errors']:,}/{figures['requests']:,}", figures["conditional"], ok,
        ])  # fmt: skip
    table(
        f"2. Warm pages through gunicorn, {cache} ({run['workers']} sync workers, "
        f"{run['concurrency']} concurrent clients, Accept-Encoding: br, gzip) ÷ /healthz "
        "through the same stack, pair by pair",
        ["page", "sent", "req/s", "p50 ms", "p99 ms", "healthz req/s", "healthz p50",
         "÷ healthz", "errors", "304?", f"≥ {TARGETS['throughput']:g}×"],
        rows,
    )  # fmt: skip


def compression_table(compression: dict, check: Verdicts) -> None:
    rows = []
    for label, page in compression.items():
        small = check(page["br_ratio"] <= TARGETS["br_ratio"], f"br size {label}")
        faithful = check(not page["problems"], f"encodings {label}")
        rows.append([
            label, page["raw_bytes"], page["br_bytes"], page["gzip_bytes"],
            f"{page['br_ratio']:.3f}", small,
            "yes" if not page["problems"] else "; ".join(page["problems"]), faithful,
        ])  # fmt: skip
    table(
        "3. Compression of the HTML pages of the 2019 plan, as served (bytes of the body)",
        ["page", "plain", "br", "gzip", "br ÷ plain", f"≤ {TARGETS['br_ratio']:g}",
         "br and gzip decode to the plain page", ""],
        rows,
    )  # fmt: skip


def growth_table(renders, check: Verdicts) -> None:
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
        "4. Growth: uncached render ms through the middleware (viewing 2019), medians",
        ["page", "1 year", "10 years", "ratio", "≤ 1.3×", "440 programs", "ratio", "≤ 12×"],
        rows,
    )


def weight_table(weight, check: Verdicts) -> None:
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
        "5. Weight (requests: the HTML and what it needs to render; icons listed apart)",
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


def queries_table(renders, cached) -> None:
    one, ten, big = renders["1 year"], renders["10 years"], renders["440 programs"]
    control = {one[label]["transaction_statements"] for label in PAGES}
    table(
        "6. Queries per page (1 year of data; plus "
        + "/".join(str(n) for n in sorted(control))
        + " transaction statements each, the consistent-read snapshot)",
        ["page", "uncached", "cached", "uncached, 10 years", "uncached, 440 programs"],
        [
            [label, one[label]["queries"], cached[label]["queries"], ten[label]["queries"],
             big[label]["queries"]]
            for label in PAGES
        ],
    )  # fmt: skip
