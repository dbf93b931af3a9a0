"""Query strings no form would send, for the listing and calendar fuzz tests:
valid filter values mixed with NUL bytes, control characters, repeated keys,
huge numbers, month 13, amount_min=abc, broken percent-escapes and arbitrary
Unicode. `get_fuzzed` sends one and holds the answer to a page, a redirect to
the tidy URL or a 400, never a 500."""

from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.filters import FILTER_PARAMS, PAGE_PARAM
from schedules.kinds import Kind

# All examples of a test share its function-scoped fixtures: safe, as they only read.
FUZZ_SETTINGS = settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

GOOD = {
    "year": ["2019", "2020"],
    "section": ["협동조합 지원사업", "서울시사회적경제지원센터 지원사업"],
    "area": ["컨설팅", "민간판로 지원", "마을기업 발굴/육성"],
    "eligibility": ["cooperative", "pre-cooperative", "village-enterprise"],
    "month": [str(month) for month in range(1, 13)],
    "kind": list(Kind.values),
    "amount_min": ["1천만원", "5000000", "1,000만"],
    "amount_max": ["1억", "7천만원"],
    "budget_min": ["1억", "0"],
    "budget_max": ["1.24억원"],
    "contact": ["판로지원팀", "서울시협동조합지원센터"],
    "q": ["성과 공유회", "마을기업", "(예비)"],
    "sort": ["sheet", "name", "amount", "application"],
    "page": ["1", "2"],
}
NASTY = [
    "",
    " ",
    "\x00",
    "1\x00",
    "성과\x00공유회",
    "\x1b[31m",
    "13",
    "0",
    "-1",
    "abc",
    "9" * 40,
    "9" * 5000,
    "1e9",
    "١٢",
    "1.5",
    "NaN",
    "Infinity",
    "%",
    "_",
    "\\",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "천만",
    "1조조",
    "만" * 50,
    "x" * 500,
]

values = st.one_of(
    st.sampled_from(sorted({v for group in GOOD.values() for v in group})),
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
keys = st.sampled_from([*FILTER_PARAMS, PAGE_PARAM, "utm_source", "", "month[]"])
params = st.dictionaries(keys, st.lists(values, min_size=1, max_size=3), max_size=7)
# Bytes no form would send: broken UTF-8, bare separators, escaped NULs.
raw_tails = st.sampled_from(
    ["", "&%FF%FE=1", "&month=%00", "&q=%E0%A4", "&&=&", "&page=%2D1", "&year", "&area=%C0%AF"]
)


def over_fuzzed_queries(test):
    """Run `test` FUZZ_SETTINGS' many times with a drawn `query` and raw `tail`."""
    return FUZZ_SETTINGS(given(query=params, tail=raw_tails)(test))


def get_fuzzed(client, path: str, query: dict, tail: str):
    """GET `path` with the drawn query and `tail` of raw bytes."""
    query_string = urlencode(query, doseq=True, quote_via=quote) + tail
    response = client.get(f"{path}?{query_string}")
    assert response.status_code in {200, 302, 400}, (path, query_string, response.status_code)
    return response
