"""Whatever a user types into the listing URLs, the answer is a page (200, or a
302 to the tidy URL) or a 400 naming the parameter — never a 500. The query
strings are drawn as tests/support/query_fuzz.py describes."""

import pytest

from tests.support.query_fuzz import get_fuzzed, over_fuzzed_queries

VIEWS = ["/", "/programs/", "/programs.json", "/programs.csv", "/programs.xlsx"]


@pytest.mark.parametrize("path", VIEWS)
@over_fuzzed_queries
def test_no_query_string_makes_a_listing_fail(client, two_plans, path, query, tail):
    response = get_fuzzed(client, path, query, tail)
    if response.status_code == 400:
        assert path != "/programs/" and path != "/", "HTML pages explain on the page"
        assert response.json()["messages"], "a 400 says which parameter"
