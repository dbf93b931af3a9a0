"""Whatever a user types into the calendar's URLs, the answer is a page (200, or
a 302 to the tidy URL), a 404 for a month that is not in the plan, or a 400
naming the parameter for the feed — never a 500. Same query strings as the
catalogue's fuzz test."""

from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.query_fuzz import FUZZ_SETTINGS, get_fuzzed, over_fuzzed_queries

VIEWS = ["/calendar/", "/calendar/2019/3/", "/calendar.ics"]


@pytest.mark.parametrize("path", VIEWS)
@over_fuzzed_queries
def test_no_query_string_makes_the_calendar_fail(client, two_plans, path, query, tail):
    response = get_fuzzed(client, path, query, tail)
    if response.status_code == 400:
        assert path == "/calendar.ics", "HTML pages explain on the page"
        assert "(" in response.content.decode(), "a 400 names the parameter"


@settings(FUZZ_SETTINGS, max_examples=300)
@given(
    year=st.one_of(
        st.sampled_from([2019, 2020, 2018]),
        st.integers(min_value=0, max_value=10**25),
        st.text(max_size=8),
    ),
    month=st.one_of(
        st.integers(min_value=-5, max_value=14),
        st.integers(min_value=0, max_value=10**25),
        st.text(max_size=8),
    ),
)
def test_no_year_or_month_in_the_path_makes_the_month_view_fail(client, plan_2019, year, month):
    path = f"/calendar/{quote(str(year), safe='')}/{quote(str(month), safe='')}/"
    response = client.get(path)
    assert response.status_code in {200, 404}, (path, response.status_code)
    if response.status_code == 200:
        assert year in (2019, "2019") and 1 <= int(month) <= 12
