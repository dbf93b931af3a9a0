"""Public pages leave compressed (br, else gzip), compressed once per page
version, and a cached page is the same page a fresh render would be."""

import gzip

import brotli
import pytest
from django.core.cache import caches

from portal import compression
from programs.models import Program
from tests.support.production import fetch

PAGES = ["/", "/programs/", "/programs/?month=3", "/calendar/", "/calendar/2019/3/",
         "/programs.json", "/calendar.ics"]  # fmt: skip
BR_GZIP = {"accept-encoding": "br, gzip"}


@pytest.fixture
def plan(make_program):
    for n in range(12):
        make_program(
            f"창업교육 {n}",
            area="교육",
            target="서울시 사회적경제기업",
            milestones=[("공고/접수", 3, 3), ("교육 운영(4~6월)", 4, 6)],
            contacts=[("서울시협동조합지원센터", "교육팀", "+827041688536")],
        )
    caches["default"].clear()


def test_a_hit_carries_the_body_etag_csp_and_security_headers_of_the_miss(client, production, plan):
    detail = Program.objects.first().get_absolute_url()
    for path in [*PAGES, detail]:
        caches["default"].clear()
        miss = fetch(client, path, **BR_GZIP)
        hit = fetch(client, path, **BR_GZIP)
        assert miss.status_code == hit.status_code == 200, path
        assert hit.content == miss.content, path
        assert dict(hit.headers) == dict(miss.headers), path
        for header in ("ETag", "Content-Security-Policy", "Strict-Transport-Security",
                       "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
                       "Cross-Origin-Opener-Policy"):  # fmt: skip
            assert hit[header], (path, header)


def test_br_and_gzip_decode_to_the_plain_page(client, plan):
    for path in PAGES:
        plain = client.get(path)
        br = client.get(path, headers={"accept-encoding": "gzip, deflate, br"})
        gz = client.get(path, headers={"accept-encoding": "gzip"})
        assert plain.get("Content-Encoding") is None
        assert br["Content-Encoding"] == "br" and gz["Content-Encoding"] == "gzip", path
        assert brotli.decompress(br.content) == plain.content, path
        assert gzip.decompress(gz.content) == plain.content, path
        for response in (plain, br, gz):
            assert int(response["Content-Length"]) == len(response.content), path
            assert "Accept-Encoding" in response["Vary"], path
        assert len({plain["ETag"], br["ETag"], gz["ETag"]}) == 3, path


def test_the_2019_plan_s_html_leaves_at_most_a_quarter_of_its_size(client, plan_2019):
    detail = plan_2019.areas.first().programs.first().get_absolute_url()
    for path in ["/", "/programs/", "/calendar/", "/calendar/2019/3/", detail]:
        plain = client.get(path)
        br = client.get(path, headers={"accept-encoding": "br"})
        assert len(br.content) * 4 <= len(plain.content), path


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("", None),
        ("identity", None),
        ("gzip;q=0, br;q=0", None),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("gzip, *;q=0", "gzip"),
        ("deflate", None),
    ],
)
def test_the_client_gets_the_best_encoding_it_accepts(client, plan, accept, coding):
    response = client.get("/programs/", headers={"accept-encoding": accept})
    assert response.get("Content-Encoding") == coding


def test_a_page_is_compressed_once_per_version_not_per_request(client, plan, monkeypatch):
    calls = []
    real = compression.brotli.compress
    monkeypatch.setattr(
        compression.brotli, "compress", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    for _ in range(5):
        assert client.get("/programs/", headers=BR_GZIP)["Content-Encoding"] == "br"
    assert len(calls) == 1


def test_a_repeat_visitor_with_a_compressed_copy_gets_304(client, plan):
    first = client.get("/programs/", headers=BR_GZIP)
    again = client.get("/programs/", headers={**BR_GZIP, "if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    # That ETag names the br copy: a client that cannot read br gets the page.
    plain = client.get("/programs/", headers={"if-none-match": first["ETag"]})
    assert plain.status_code == 200 and plain.get("Content-Encoding") is None


def test_a_logged_in_staff_member_never_gets_a_cached_page(admin_client, client, plan):
    assert client.get("/programs/").status_code == 200  # now cached for visitors
    stored = len(caches["default"]._cache)
    response = admin_client.get("/programs/", headers=BR_GZIP)
    assert response.status_code == 200
    assert response.get("Content-Encoding") is None and not response.has_header("ETag")
    assert len(caches["default"]._cache) == stored  # and what staff see is never stored


def test_a_download_that_is_already_compressed_is_not_compressed_again(client, plan):
    response = client.get("/programs.xlsx", headers=BR_GZIP)
    assert response.status_code == 200 and response.get("Content-Encoding") is None
