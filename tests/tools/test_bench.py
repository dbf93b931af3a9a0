"""The bench's trivial ceiling view exists only under tools.bench.settings; the
bench's and the load test's percentiles are the latencies that share of requests beat."""

from django.test import override_settings

from tools.bench.load import LoadResult
from tools.traffic import latency_line_ms


def test_the_bench_ceiling_view_is_not_a_production_url(client, db):
    assert client.get("/bench/static/1000/").status_code == 404


@override_settings(ROOT_URLCONF="tools.bench.urls")
def test_the_bench_ceiling_view_returns_a_body_of_the_asked_size(client, db):
    response = client.get("/bench/static/1000/")
    assert response.status_code == 200
    assert len(response.content) == 1000


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
