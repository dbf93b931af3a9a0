"""The page cache holds one entry per page anyone can reach, however the URL is
decorated: unknown parameters and their order never make new entries."""

import pytest
from django.core.cache import caches
from django.test import override_settings


def entries() -> int:
    return len(caches["default"]._cache)  # the per-process cache used in tests


@pytest.fixture
def plan(make_program):
    make_program("창업교육", area="교육", milestones=[("공고/접수", 3, 3)])
    caches["default"].clear()


def test_unknown_parameters_never_fill_the_cache(client, plan):
    assert client.get("/programs/").status_code == 200
    known = entries()
    for n in range(30):
        for path in ("/programs/", "/calendar/", "/programs.json", "/programs.csv"):
            assert client.get(path, {"utm_source": str(n), "x": "y" * n}).status_code == 200
    # The three other paths once each; no entry per unknown value.
    assert entries() == known + 3


def test_a_page_with_unknown_parameters_is_the_canonical_page(client, plan):
    plain = client.get("/programs/", {"q": "창업"})
    decorated = client.get("/programs/?fbclid=abc&q=%EC%B0%BD%EC%97%85&_=123")
    assert decorated.status_code == 200
    assert decorated.content == plain.content
    assert decorated["ETag"] == plain["ETag"]


def test_the_order_of_parameters_does_not_make_another_entry(client, plan):
    client.get("/programs/?month=3&kind=application")
    count = entries()
    response = client.get("/programs/?kind=application&month=3")
    assert response.status_code == 200
    assert entries() == count


def test_the_month_view_names_its_own_canonical_address(client, plan):
    html = client.get("/calendar/2019/3/?utm_campaign=mail&kind=application").content.decode()
    assert "utm_campaign" not in html
    assert 'href="/calendar/2019/3/?kind=application" aria-current="page"' in html


@override_settings(PAGE_CACHE_MAX_BYTES=1000)
def test_a_page_larger_than_the_cap_is_served_but_not_stored(client, plan):
    response = client.get("/programs/")
    assert response.status_code == 200 and len(response.content) > 1000
    assert entries() == 0
