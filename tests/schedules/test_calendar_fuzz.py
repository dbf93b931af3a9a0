"""Whatever a user types into the calendar's URLs, the answer is a page (200, or
a 302 to the tidy URL), a 404 for a month that is not in the plan, or a 400
naming the parameter for the feed — never a 500. Same query strings as the
catalogue's fuzz test."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.programs.test_filter_fuzz import params, raw_tails

VIEWS = ["/calendar/", "/calendar/2019/3/", "/calendar.ics"]


@pytest.fixture
def calendar_data(plan_2019, make_program):
    make_program("2020 컨설팅", area="컨설팅", year=2020, milestones=[("모집공고", 1, 1)])


@pytest.mark.parametrize("path", VIEWS)
@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=params, tail=raw_tails)
def test_no_query_string_makes_the_calendar_fail(client, calendar_data, path, query, tail):
    query_string = urlencode(query, doseq=True, quote_via=quote) + tail
    response = client.get(f"{path}?{query_string}")
    assert response.status_code in {200, 302, 400}, (path, query_string, response.status_code)
    if response.status_code == 400:
        assert path == "/calendar.ics", "HTML pages explain on the page"
        assert "(" in response.content.decode(), "a 400 names the parameter"


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
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
