"""The catalogue at /programs/: filters, chips, empty state, sorting, pages.

The first part runs every filter against the shipped 2019 plan; the expected
programs are read off the plan's text (fixtures/plan-2019-seed.txt),
not off the catalogue. The second part pins each behaviour on small hand-built plans."""

import datetime as dt
import html
import re
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.utils import timezone

from programs.amounts import parse_amount
from tests.support.plan_2019 import COOPERATIVES_IN_APRIL
from tests.support.sample_programs import market_entry, numbered_programs, startup_consulting

URL = "/programs/"


def names(response) -> list[str]:
    """Program names in the order the page lists them."""
    found = re.findall(
        r'class="result__name"><a href="[^"]*">([^<]*)</a>', response.content.decode()
    )
    return [html.unescape(name) for name in found]


def chips(response) -> dict[str, str]:
    """Chip label -> the link that removes it."""
    found = re.findall(
        r'<a class="chip" href="([^"]*)"><span>([^<]*)</span>', response.content.decode()
    )
    return {html.unescape(label): html.unescape(href) for href, label in found}


def query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def alerts(response) -> str:
    match = re.search(
        r'<div class="notice notice--error" role="alert">(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    return html.unescape(match.group(1)) if match else ""


def with_amounts(program, per_company="", budget=""):
    program.per_company = parse_amount(per_company)
    program.budget = parse_amount(budget)
    program.save()
    return program


# -- the 2019 plan --------------------------------------------------------------------


def test_the_2019_plan_lists_all_44_programs_in_sheet_order(client, plan_2019):
    response = client.get(URL)
    assert "44개" in re.search(r"<title>(.*?)</title>", response.content.decode()).group(1)
    assert names(response)[:3] == [
        "공공구매 영업지원(교육/상담 등)",
        "공공구매 상담회",
        "자치구 공공구매 영업지원",
    ]
    last_page = client.get(URL, {"page": "3"})
    assert names(last_page)[-1] == "제도개선"


def test_2019_cooperatives_with_something_in_april(client, plan_2019):
    response = client.get(URL, {"eligibility": "cooperative", "month": "4"})
    assert names(response) == COOPERATIVES_IN_APRIL
    assert set(chips(response)) == {"지원대상: 협동조합", "4월에 일정 있음"}


def test_2019_search_for_village_enterprises_finds_the_whole_area(client, plan_2019):
    assert names(client.get(URL, {"q": "마을기업"})) == [
        "행안부 마을기업 설립지원",
        "마을기반 창업 준비 과정 지원",
        "마을기업 밀착형 코칭서비스",
        "마을기업 레벨업 지원사업",
        "마을기반 공동기획사업 지원사업",
    ]


def test_2019_search_ignores_spacing_both_ways(client, plan_2019):
    # Written 성과공유회 (판로) and 성과 공유회 (마을기업, 아카데미, 해외연수);
    # 전략모델 협업사업화's "결과보고 및 성과공유" has no 회.
    expected = [
        "생협매장 입점지원",
        "유통채널 입점지원",
        "마을기업 레벨업 지원사업",
        "마을기반 공동기획사업 지원사업",
        "아카데미 지원사업",
        "전략기획 연수",
        "기술연수",
    ]
    assert names(client.get(URL, {"q": "성과 공유회"})) == expected
    assert names(client.get(URL, {"q": "성과공유회"})) == expected


def test_2019_per_company_amount_of_at_least_ten_million(client, plan_2019):
    # 업체평균 ≥ 1천만원: 4.5천만원, 최대 7천만원, 최대 1천만원 (나눔반장),
    # 최대 8천만원, 교육과정 2천만원, 최대 1천만원 (협업모델). Not 5백만원, 인당 최대
    # 300만원, 최대 9백만원, 1백만원, 미정; a row with one amount gives 지원규모 only.
    expected = [
        "생협매장 입점지원",
        "유통채널 입점지원",
        "우리동네 나눔반장 선행사업 지원",
        "전략모델 협업사업화 지원",
        "아카데미 지원사업",
        "협업모델 지원",
    ]
    assert names(client.get(URL, {"amount_min": "1천만원"})) == expected
    assert names(client.get(URL, {"amount_min": "10000000"})) == expected


def test_2019_total_budget_of_a_hundred_million_or_more(client, plan_2019):
    assert names(client.get(URL, {"budget_min": "1억"})) == [
        "유통채널 입점지원",  # 1.24억원
        "전략모델 협업사업화 지원",  # 6억원/7개 내외
        "마을기반 공동기획사업 지원사업",  # 1억 5천만원
    ]


def test_2019_results_sharing_for_village_enterprises(client, plan_2019):
    response = client.get(URL, {"kind": "results", "eligibility": "village-enterprise"})
    assert names(response) == ["마을기업 레벨업 지원사업", "마을기반 공동기획사업 지원사업"]


def test_2019_contact_team_section_and_area(client, plan_2019):
    assert names(client.get(URL, {"contact": "판로지원팀"})) == [
        "공공구매 영업지원(교육/상담 등)",
        "생협매장 입점지원",
        "유통채널 입점지원",
        "롯데홈쇼핑 입점판매지원",
    ]
    assert len(names(client.get(URL, {"section": "협동조합 지원사업"}))) == 14
    assert names(client.get(URL, {"area": "연구지원"})) == ["기획주제형", "자유주제형"]


def test_2019_empty_result_says_which_filter_to_drop(client, plan_2019):
    response = client.get(URL, {"q": "마을기업", "section": "협동조합 지원사업"})
    assert names(response) == []
    removals = re.findall(
        r'<li><a href="([^"]*)"><strong>([^<]*)</strong> 조건을 빼면 (\d+)개',
        html.unescape(response.content.decode()),
    )
    assert [(label, int(count)) for _, label, count in removals] == [
        ("구분: 협동조합 지원사업", 5),
        ("검색어: ‘마을기업’", 14),
    ]


# -- small plans ---------------------------------------------------------------------


@pytest.fixture
def small_plan(make_program):
    """Five programs over two sections, shaped like rows of the real sheet."""
    market_entry(
        make_program,
        [("공고/접수", 2, 2), ("선정/협약", 3, 3), ("수시 진행", 4, 11), ("성과공유회", 12, 12)],
    )
    with_amounts(
        make_program(
            "마을기업 레벨업 지원사업",
            section="서울시사회적경제지원센터 지원사업",
            area="마을기업 발굴/육성",
            target="자립형/서울형 마을기업",
            eligibility=["village-enterprise"],
            milestones=[("접수/공고", 2, 2), ("심사/협약", 4, 4), ("성과 공유회", 12, 12)],
            contacts=[("", "기반조성팀", "+827078731430")],
        ),
        per_company="5백만원",
        budget="기업당 최대 1천만원",
    )
    startup_consulting(make_program)
    with_amounts(
        make_program(
            "협업모델 지원",
            area="사업비지원",
            target="2개 이상의 서울시 기본법 협동조합",
            eligibility=["cooperative"],
            milestones=[("공고/접수/선정", 3, 3), ("사업수행(4~11월)", 4, 11)],
            contacts=[("서울시협동조합지원센터", "", "+827041688537")],
        ),
        per_company="최대 1천만원",
        budget="4개",
    )
    make_program(
        "설립교육",
        area="교육지원",
        target="서울시민, 예비협동조합",
        eligibility=["citizen", "pre-cooperative"],
    )


SHEET_ORDER = [
    "유통채널 입점지원",
    "마을기업 레벨업 지원사업",
    "창업컨설팅",
    "협업모델 지원",
    "설립교육",
]


def test_it_lists_every_program_of_the_latest_plan_in_sheet_order(client, small_plan, make_program):
    make_program("지난해 사업", year=2018)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == SHEET_ORDER


def test_the_count_is_in_the_heading_the_title_and_a_live_region(client, small_plan):
    html_text = client.get(URL, {"month": "4"}).content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html_text, re.S).group(1)
    assert "4개" in re.sub(r"<[^>]+>", "", h1)
    assert re.search(r"<title>[^<]*4개", html_text)
    live = re.search(r'role="status" aria-live="polite">(.*?)</p>', html_text, re.S).group(1)
    assert "4개" in live


def test_each_result_shows_area_amounts_months_and_a_number_to_tap(client, small_plan):
    html_text = client.get(URL, {"q": "유통채널"}).content.decode()
    assert "민간판로 지원" in html_text
    assert "최대 7,000만 원" in html_text
    assert "1억 2,400만 원" in html_text
    # The strip's text alternative: the months it runs and when it takes applications.
    assert "2~12월 · 접수 2월" in html_text
    assert '<a class="tel" href="tel:+827042675038">070-4267-5038</a>' in html_text
    assert "사회적경제기업" in html_text


def test_a_program_without_contact_or_months_says_so(client, small_plan):
    html_text = client.get(URL, {"q": "설립교육"}).content.decode()
    assert "문의처가 계획표에 없습니다" in html_text
    assert "월별 일정 없음" in html_text


def test_eligibility_and_month_filters_combine(client, small_plan):
    response = client.get(URL, {"eligibility": "cooperative", "month": "4"})
    assert names(response) == ["협업모델 지원"]


def test_repeated_eligibility_means_any_of_them(client, small_plan):
    response = client.get(URL, {"eligibility": ["village-enterprise", "pre-cooperative"]})
    assert names(response) == ["마을기업 레벨업 지원사업", "창업컨설팅", "설립교육"]


def test_kind_with_month_means_that_kind_in_that_month(client, small_plan):
    response = client.get(URL, {"month": "3", "kind": "application"})
    assert names(response) == ["창업컨설팅", "협업모델 지원"]


def test_kind_alone_means_the_program_has_such_a_milestone(client, small_plan):
    assert names(client.get(URL, {"kind": "results"})) == [
        "유통채널 입점지원",
        "마을기업 레벨업 지원사업",
    ]


def test_a_month_inside_a_span_counts(client, small_plan):
    assert names(client.get(URL, {"month": "9"})) == ["유통채널 입점지원", "협업모델 지원"]


def test_amounts_accept_korean_and_digits_alike(client, small_plan):
    korean = names(client.get(URL, {"amount_min": "1천만원"}))
    digits = names(client.get(URL, {"amount_min": "10,000,000"}))
    assert korean == digits == ["유통채널 입점지원", "협업모델 지원"]
    assert names(client.get(URL, {"amount_max": "500만"})) == ["마을기업 레벨업 지원사업"]


def test_budget_filters_read_the_total_column(client, small_plan):
    assert names(client.get(URL, {"budget_min": "1억"})) == ["유통채널 입점지원"]
    assert names(client.get(URL, {"budget_max": "1천만원"})) == ["마을기업 레벨업 지원사업"]


def test_contact_matches_a_team_or_an_organisation_without_team(client, small_plan):
    assert names(client.get(URL, {"contact": "판로지원팀"})) == ["유통채널 입점지원"]
    assert names(client.get(URL, {"contact": "서울시협동조합지원센터"})) == [
        "창업컨설팅",
        "협업모델 지원",
    ]


def test_section_and_area_filter_by_name(client, small_plan):
    assert names(client.get(URL, {"section": "협동조합 지원사업"})) == SHEET_ORDER[2:]
    assert names(client.get(URL, {"area": "컨설팅"})) == ["창업컨설팅"]


def test_search_ignores_spacing_and_reaches_milestones_and_contacts(client, small_plan):
    assert names(client.get(URL, {"q": "성과 공유회"})) == [
        "유통채널 입점지원",
        "마을기업 레벨업 지원사업",
    ]
    assert names(client.get(URL, {"q": "기반 조성팀"})) == ["마을기업 레벨업 지원사업"]
    assert names(client.get(URL, {"q": "사업수행(4~6월)"})) == ["창업컨설팅"]


def test_each_applied_filter_is_a_chip_that_removes_only_itself(client, small_plan):
    response = client.get(URL, {"area": "컨설팅", "month": "4", "q": "창업"})
    found = chips(response)
    assert set(found) == {"지원분야: 컨설팅", "4월에 일정 있음", "검색어: ‘창업’"}
    assert query(found["지원분야: 컨설팅"]) == [("month", "4"), ("q", "창업")]
    assert query(found["4월에 일정 있음"]) == [("area", "컨설팅"), ("q", "창업")]
    follow = client.get(found["검색어: ‘창업’"])
    assert names(follow) == ["창업컨설팅"]
    assert set(chips(follow)) == {"지원분야: 컨설팅", "4월에 일정 있음"}


def test_clear_all_keeps_the_chosen_year_and_sort(client, small_plan):
    html_text = client.get(URL, {"year": "2019", "sort": "name", "month": "4"}).content.decode()
    clear = re.search(r'<a class="chips__clear" href="([^"]*)">전체 해제</a>', html_text).group(1)
    assert query(html.unescape(clear)) == [("year", "2019"), ("sort", "name")]


def test_an_empty_result_names_the_filter_that_emptied_it(client, small_plan):
    response = client.get(URL, {"area": "컨설팅", "kind": "results"})
    assert names(response) == []
    text = html.unescape(response.content.decode())
    assert "이 조건을 모두 만족하는 사업은 없습니다" in text
    # Without the area there are two programs with 성과 공유; without the kind, one.
    removals = re.findall(
        r'<li><a href="([^"]*)"><strong>([^<]*)</strong> 조건을 빼면 (\d+)개', text
    )
    assert [(label, int(count)) for _, label, count in removals] == [
        ("지원분야: 컨설팅", 2),
        ("일정 종류: 성과 공유", 1),
    ]
    assert names(client.get(removals[0][0])) == ["유통채널 입점지원", "마을기업 레벨업 지원사업"]


def test_when_no_single_filter_is_to_blame_it_offers_to_clear_all(client, small_plan):
    response = client.get(URL, {"q": "유통채널", "area": "컨설팅", "eligibility": "citizen"})
    text = response.content.decode()
    assert names(response) == []
    assert "여러 조건이 함께 범위를 좁히고 있습니다" in text
    assert "조건 전체 해제" in text


def test_sorting_by_name_amount_and_next_application(client, small_plan):
    assert names(client.get(URL, {"sort": "name"})) == sorted(SHEET_ORDER)
    assert names(client.get(URL, {"sort": "amount"})) == [
        "유통채널 입점지원",  # 7,000만
        "협업모델 지원",  # 1,000만
        "마을기업 레벨업 지원사업",  # 500만
        "창업컨설팅",  # no amount: last, in sheet order
        "설립교육",
    ]
    # 2019 is not this year, so "next" counts from January.
    assert names(client.get(URL, {"sort": "application"})) == [
        "유통채널 입점지원",  # 2월
        "마을기업 레벨업 지원사업",  # 2월
        "창업컨설팅",  # 3월
        "협업모델 지원",  # 3월
        "설립교육",  # never
    ]


def test_the_current_sort_is_marked_and_kept_by_the_form(client, small_plan):
    html_text = client.get(URL, {"sort": "name"}).content.decode()
    assert re.search(
        r'<a href="[^"]*sort=name[^"]*" aria-current="true">사업명 가나다순</a>', html_text
    )
    assert '<input type="hidden" name="sort" value="name">' in html_text


@pytest.mark.parametrize(
    ("params", "parameter", "shown"),
    [
        ({"month": "13"}, "월(month)", "‘13’"),
        ({"amount_min": "abc"}, "업체당 금액 하한(amount_min)", "‘abc’"),
        ({"budget_max": "9" * 30}, "사업 전체 규모 상한(budget_max)", "금액이 너무 큽니다"),
        ({"area": "없는 분야"}, "지원분야(area)", "2019년 계획에 없는 지원분야"),
        ({"kind": "party"}, "일정 종류(kind)", "‘party’"),
        ({"sort": "random"}, "정렬(sort)", "‘random’"),
        ({"q": "마을\x00기업"}, "검색어(q)", "제어 문자"),
        ({"year": "1999"}, "사업연도(year)", "2019년 계획을 보여 드립니다"),
        ({"eligibility": "alien"}, "지원대상(eligibility)", "‘alien’"),
        ({"page": "abc"}, "쪽 번호(page)", "숫자여야"),
    ],
)
def test_an_unusable_parameter_is_named_in_a_visible_message(
    client, small_plan, params, parameter, shown
):
    response = client.get(URL, params)
    assert response.status_code == 200
    message = alerts(response)
    assert parameter in message
    assert shown in message
    # The rest of the page still works: the bad condition is simply left out.
    assert len(names(response)) == len(SHEET_ORDER)


def test_one_unknown_eligibility_code_keeps_the_known_ones(client, small_plan):
    response = client.get(URL, {"eligibility": ["alien", "cooperative"]})
    assert names(response) == ["협업모델 지원"]
    assert "‘alien’" in alerts(response)
    assert set(chips(response)) == {"지원대상: 협동조합"}


def test_repeated_single_parameters_use_the_last_value(client, small_plan):
    response = client.get(f"{URL}?area=%EC%97%86%EC%9D%8C&area=%EC%BB%A8%EC%84%A4%ED%8C%85")
    assert names(response) == ["창업컨설팅"]


def test_a_huge_page_number_shows_the_last_page_and_says_so(client, make_program):
    for number in range(25):
        make_program(f"사업 {number:02d}")
    response = client.get(URL, {"page": "9" * 40})
    assert response.status_code == 200
    assert names(response) == [f"사업 {n:02d}" for n in range(20, 25)]
    assert "2쪽까지" in alerts(response)


def test_page_links_keep_the_filters(client, make_program):
    for number in range(25):
        make_program(f"사업 {number:02d}", milestones=[("공고/접수", 3, 3)])
    make_program("다른 달 사업", milestones=[("공고/접수", 5, 5)])
    html_text = client.get(URL, {"month": "3", "q": "사업"}).content.decode()
    next_link = html.unescape(re.search(r'<a href="([^"]*)" rel="next">', html_text).group(1))
    assert query(next_link) == [("month", "3"), ("q", "사업"), ("page", "2")]
    second = client.get(next_link)
    assert names(second) == [f"사업 {n:02d}" for n in range(20, 25)]


def test_submitting_the_form_with_empty_fields_redirects_to_a_short_url(client, small_plan):
    response = client.get(URL, {"q": "", "area": "컨설팅", "month": "", "amount_min": " "})
    assert response.status_code == 302
    assert response["Location"] == "/programs/?area=%EC%BB%A8%EC%84%A4%ED%8C%85"


def test_switching_year_keeps_an_area_by_name(client, small_plan, make_program):
    make_program("2020 컨설팅", area="컨설팅", year=2020)
    make_program("2020 교육", area="교육지원", year=2020)
    assert names(client.get(URL, {"area": "컨설팅"})) == ["2020 컨설팅"]
    assert names(client.get(URL, {"area": "컨설팅", "year": "2019"})) == ["창업컨설팅"]


def test_the_filter_form_is_a_plain_get_form_with_a_label_for_every_control(client, small_plan):
    html_text = client.get(URL).content.decode()
    form = re.search(
        r'<form class="filters" method="get" action="/programs/".*?</form>', html_text, re.S
    )
    assert form, "the filters are a GET form aimed at the catalogue"
    controls = re.findall(
        r'<(?:input|select)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', form.group(0)
    )
    labels = set(re.findall(r'<label for="([^"]+)"', form.group(0)))
    assert controls and set(controls) <= labels
    assert "<script" not in html_text and 'style="' not in html_text


def test_the_export_links_carry_the_current_filters(client, small_plan):
    html_text = html.unescape(client.get(URL, {"month": "4", "page": "1"}).content.decode())
    for path in ("/programs.json", "/programs.csv", "/programs.xlsx"):
        assert f'href="{path}?month=4"' in html_text


@pytest.mark.parametrize("count", [3, 30])
def test_the_number_of_queries_does_not_grow_with_the_programs(
    client, make_program, django_assert_max_num_queries, count
):
    numbered_programs(make_program, count, areas=4, teams=5)
    with django_assert_max_num_queries(11):
        client.get(URL, {"month": "4", "eligibility": "cooperative", "sort": "application"})
    with django_assert_max_num_queries(11):
        # Empty results count each filter's removal: one query per chip (three here).
        client.get(URL, {"month": "1", "q": "없는", "area": "분야 1"})


def test_search_has_a_trigram_index_on_postgresql_only(db):
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "programs_program")
        if connection.vendor == "postgresql":
            assert indexes["program_search_text_trgm"]["type"] == "gin"
            # Hangul makes trigrams under the cluster's locale, so the index serves Korean.
            cursor.execute("select show_trgm('성과공유회')")
            assert len(cursor.fetchone()[0]) == 6
        else:
            assert "program_search_text_trgm" not in indexes


def test_a_very_long_query_with_empty_fields_is_shown_not_refused(client, plan_2019):
    # A tidy-URL redirect longer than Django allows would be a 400 (found by Hypothesis).
    big = "9" * 5000
    response = client.get(f"/programs/?year={big}&section={big}&&=&")
    assert response.status_code == 200
    assert "year" in response.content.decode()


# --- Application status on the catalogue ------------------------------------------------

SEOUL_MARCH_15 = dt.datetime(2019, 3, 15, 3, 0, tzinfo=dt.UTC)


def at_march_15(client, params):
    with mock.patch.object(timezone, "now", return_value=SEOUL_MARCH_15):
        return client.get(URL, params)


def status_checkboxes(response) -> list[tuple[str, str, bool]]:
    """(value, label, checked) of each 접수 상태 checkbox of the filter form."""
    fieldset = re.search(
        r"<fieldset[^>]*>\s*<legend>접수 상태</legend>(.*?)</fieldset>",
        response.content.decode(),
        re.S,
    ).group(1)
    found = re.findall(
        r'<input type="checkbox" id="(f-status-\w+)" name="status" value="(\w+)"[^>]*?( checked)?>'
        r'\s*<label for="\1">([^<]+)</label>',
        fieldset,
    )
    return [(value, label, bool(checked)) for _, value, checked, label in found]


def test_the_filter_form_offers_the_three_statuses_and_keeps_the_chosen_ones(client, small_plan):
    assert status_checkboxes(at_march_15(client, {})) == [
        ("open", "접수중", False),
        ("upcoming", "접수 예정", False),
        ("closed", "마감", False),
    ]
    chosen = at_march_15(client, {"status": ["open", "closed"]})
    assert [checked for _, _, checked in status_checkboxes(chosen)] == [True, False, True]
    assert names(chosen) == [
        "유통채널 입점지원",
        "마을기업 레벨업 지원사업",
        "창업컨설팅",
        "협업모델 지원",
    ]


def exclude_closed_link(response) -> str | None:
    found = re.search(
        r'<a class="quick-filter__link" href="([^"]+)">마감 제외', response.content.decode()
    )
    return html.unescape(found.group(1)) if found else None


def test_one_click_leaves_out_closed_programs_and_keeps_the_other_filters(client, small_plan):
    response = at_march_15(client, {"eligibility": "cooperative", "q": "협업", "sort": "name"})
    link = exclude_closed_link(response)
    assert query(link) == [
        ("eligibility", "cooperative"),
        ("status", "open"),
        ("status", "upcoming"),
        ("q", "협업"),
        ("sort", "name"),
    ]
    everything = at_march_15(client, {})
    with mock.patch.object(timezone, "now", return_value=SEOUL_MARCH_15):
        without_closed = client.get(exclude_closed_link(everything))
    assert names(without_closed) == [
        "창업컨설팅",
        "협업모델 지원",
    ]


def test_the_one_click_link_is_offered_only_while_closed_programs_can_show(client, small_plan):
    assert exclude_closed_link(at_march_15(client, {"status": "open"})) is None
    assert exclude_closed_link(at_march_15(client, {"status": ["open", "upcoming"]})) is None
    with_closed = exclude_closed_link(at_march_15(client, {"status": ["open", "closed"]}))
    assert query(with_closed) == [("status", "open"), ("status", "upcoming")]


def matched(response) -> dict[str, str]:
    """Result name -> its "맞는 조건" line."""
    return {
        html.unescape(name): html.unescape(re.sub(r"<[^>]+>", "", answers)).strip()
        for name, answers in re.findall(
            r'class="result__name"><a href="[^"]*">([^<]*)</a>.*?'
            r'<p class="result__matched"><span class="result__matched-label">맞는 조건:</span>'
            r"(.*?)</p>",
            response.content.decode(),
            re.S,
        )
    }


def test_each_result_says_which_chosen_target_area_and_status_it_meets(client, small_plan):
    response = at_march_15(
        client,
        {"eligibility": ["pre-cooperative", "cooperative"], "status": "open"},
    )
    assert matched(response) == {
        "창업컨설팅": "예비협동조합 · 접수중",
        "협업모델 지원": "협동조합 · 접수중",
    }
    by_area = at_march_15(client, {"area": "컨설팅", "eligibility": "pre-cooperative"})
    assert matched(by_area) == {"창업컨설팅": "예비협동조합 · 컨설팅 분야"}


def test_results_name_no_matched_answers_without_such_filters(client, small_plan):
    response = at_march_15(client, {"month": "3", "q": "컨설팅"})
    assert names(response) == ["창업컨설팅"]
    assert "맞는 조건" not in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_badges_and_matched_answers_cost_no_query_per_result(
    client, make_program, django_assert_max_num_queries, count
):
    numbered_programs(
        make_program,
        count,
        teams=5,
        area="교육지원",
        eligibility=["cooperative", "citizen"],
        milestones=[("공고/접수", 3, 3), ("접수 (4.1~4.5)", 4, 4), ("사업수행", 5, 11)],
    )
    params = {"eligibility": "cooperative", "area": "교육지원", "status": "open", "page": "1"}
    # As many as without the badges: the status filter's one query, nothing per result.
    with django_assert_max_num_queries(12):
        response = at_march_15(client, params)
    shown = min(count, 20)
    assert response.content.decode().count('<span class="status status--open">접수중</span>') == (
        shown
    )
    assert list(matched(response).values()) == ["협동조합 · 교육지원 분야 · 접수중"] * shown
