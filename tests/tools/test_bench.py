"""The bench's arithmetic and its report: ratios taken pair by pair, what counts as
an error, the compression checks, and every figure printed with its target and
verdict. No server, no database: the figures are made up."""

import gzip
import random

import brotli

from tools.bench.imports import process_figures
from tools.bench.load import LoadResult, answered_as_expected, header
from tools.bench.pages import compression_figures, pair_figures
from tools.bench.report import Verdicts, compression_table, import_table, pages_table
from tools.traffic import latency_line_ms

PAGE = (
    "<!doctype html><title>지원사업</title>" + "<p>사회적경제 기업 지원사업 안내</p>" * 200
).encode()


def run(requests: int, errors: int = 0) -> LoadResult:
    return LoadResult(
        requests=requests, errors=errors, seconds=1.0, latencies_ms=[10.0, 20.0], body_bytes=0
    )


def served(coding_sent: dict[str, tuple[str, bytes]]) -> dict:
    return {asked: (200, sent, body) for asked, (sent, body) in coding_sent.items()}


def page_figures(**changes) -> dict:
    figures = {
        "encoding": "br", "rps": 900.0, "p50": 5.0, "p99": 9.0, "healthz_rps": 1000.0,
        "healthz_p50": 4.5, "ratio": 0.9, "requests": 9000, "errors": 0, "conditional": "304",
    }  # fmt: skip
    return {**figures, **changes}


def test_a_page_is_divided_by_healthz_pair_by_pair_not_median_by_median():
    figures = pair_figures(
        [run(80), run(90), run(100, errors=2)], [run(100), run(100), run(200, errors=1)]
    )
    assert figures["ratio"] == 0.8  # pairs 0.8, 0.9, 0.5; the medians' ratio would say 0.9
    assert figures["rps"] == 90
    assert figures["healthz_rps"] == 100
    assert figures["errors"] == 3
    assert figures["requests"] == 670


def test_a_response_in_another_encoding_than_asked_counts_as_an_error():
    br = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\ncontent-encoding: br"
    plain = b"HTTP/1.1 200 OK\r\nContent-Type: text/html"
    assert answered_as_expected(200, br, 200, "br")
    assert not answered_as_expected(200, plain, 200, "br")
    assert answered_as_expected(200, plain, 200, "identity")
    assert not answered_as_expected(500, br, 200, "br")
    assert header(br, "Content-Encoding") == "br"


def test_a_page_misses_its_target_below_four_fifths_of_healthz_or_with_any_error(capsys):
    check = Verdicts()
    run_figures = {
        "workers": 5,
        "concurrency": 5,
        "pages": {
            "home": page_figures(ratio=0.8),
            "detail": page_figures(ratio=0.79),
            "calendar": page_figures(errors=1),
            "programs.json": page_figures(encoding="identity"),
        },
    }
    pages_table("per-process memory cache", run_figures, check)
    printed = capsys.readouterr().out
    assert "÷ /healthz" in printed and "≥ 0.8×" in printed
    assert check.misses == [
        "throughput detail (per-process memory cache)",
        "throughput calendar (per-process memory cache)",
        "throughput programs.json (per-process memory cache)",
    ]
    home = next(line for line in printed.splitlines() if line.startswith("home"))
    assert home.split()[-1] == "met"


def test_compression_reports_br_over_plain_and_that_both_encodings_decode_to_the_page():
    br, gz = brotli.compress(PAGE, quality=11), gzip.compress(PAGE, 9)
    figures = compression_figures(
        served({"identity": ("identity", PAGE), "br": ("br", br), "gzip": ("gzip", gz)})
    )
    assert figures["raw_bytes"] == len(PAGE)
    assert figures["br_bytes"] == len(br) and figures["gzip_bytes"] == len(gz)
    assert figures["br_ratio"] == len(br) / len(PAGE) < 0.25
    assert figures["problems"] == []


def test_a_body_that_does_not_decode_or_comes_in_another_encoding_is_a_problem(capsys):
    br = brotli.compress(PAGE)
    figures = compression_figures(
        served({"identity": ("identity", PAGE), "br": ("br", br[:-20]), "gzip": ("identity", PAGE)})
    )
    assert figures["problems"] == [
        "br does not decode to the plain page",
        "gzip asked, identity sent",
    ]
    check = Verdicts()
    compression_table({"detail": figures}, check)
    assert check.misses == ["encodings detail"]
    assert "gzip asked, identity sent" in capsys.readouterr().out


def test_a_page_that_br_leaves_above_a_quarter_of_its_size_misses_its_target():
    noise = random.Random(2019).randbytes(2000)  # nothing for br to find
    figures = compression_figures(
        served({
            "identity": ("identity", noise),
            "br": ("br", brotli.compress(noise)),
            "gzip": ("gzip", gzip.compress(noise)),
        })
    )  # fmt: skip
    check = Verdicts()
    compression_table({"home": figures}, check)
    assert check.misses == ["br size home"]


def test_the_import_is_divided_by_openpyxl_pair_by_pair(capsys):
    figures = process_figures([(2.0, 3.0), (1.0, 2.5), (4.0, 4.0)])  # 1.5×, 2.5×, 1.0×
    assert figures["process_ratio"] == 1.5
    assert figures["openpyxl_process_s"] == 2.0 and figures["import_process_s"] == 3.0
    check = Verdicts()
    in_process = {
        "file_mb": 0.15, "programs": 2200, "openpyxl_s": 0.5, "import_s": 1.2,
        "reimport_s": 0.7, "import_ratio": 2.4, "reimport_ratio": 0.58, "import_peak_mb": 18.0,
        "openpyxl_peak_mb": 4.0, "import_rss_mb": 22.0, "openpyxl_rss_mb": 4.0,
        "report": ["2019년: 2200 created"],
    }  # fmt: skip
    import_table({**figures, **in_process}, {"programs_2019": 44}, check)
    printed = capsys.readouterr().out
    assert "medians of 3 pairs" in printed
    line = next(row for row in printed.splitlines() if "manage.py import_programs" in row)
    assert line.split()[-4:] == ["≤", "2×", "openpyxl", "met"]
    assert check.misses == ["re-import"]


def test_the_bench_reports_the_latency_ninety_nine_requests_in_a_hundred_beat():
    result = LoadResult(
        requests=100, errors=0, seconds=1.0, latencies_ms=[float(ms) for ms in range(1, 101)],
        body_bytes=0,
    )  # fmt: skip
    assert result.p50 == 50.5
    assert 99 <= result.p99 < 100


def test_a_load_run_with_one_request_reports_its_latency_as_every_percentile():
    result = LoadResult(requests=1, errors=0, seconds=1.0, latencies_ms=[7.0], body_bytes=0)
    assert result.p50 == result.p99 == 7.0


def test_the_load_summary_gives_p50_p95_p99_and_the_slowest_request():
    line = latency_line_ms([float(ms) for ms in range(101)])  # 0 to 100 ms
    assert line.split() == ["p50", "50.0", "ms", "p95", "95.0", "ms",
                            "p99", "99.0", "ms", "max", "100.0", "ms"]  # fmt: skip
