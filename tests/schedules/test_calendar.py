"""The 12-month calendar: one table, a column per month, programs grouped by
section and support area, every milestone in its month(s)."""

import datetime
import re
from html.parser import HTMLParser
from unittest import mock

import pytest

from programs.models import Program
from tests.support.calendar_data import PLAN_2019, build_small_plan, read_sheet
from tests.support.gantt_reader import program_rows, read_table
from tests.support.sample_programs import numbered_programs

URL = "/calendar/"


@pytest.fixture
def small_plan(make_program):
    return build_small_plan(make_program)


def table(client, url=URL):
    response = client.get(url)
    assert response.status_code == 200
    return read_table(response.content.decode())


def rows_by_name(client, url=URL):
    return {row.name: row for row in program_rows(table(client, url))}


def test_the_calendar_is_a_table_with_a_caption_that_says_how_it_is_built(client, small_plan):
    gantt = table(client)
    assert gantt.caption.startswith("2019년 지원사업 추진일정: 사업명, 1월~12월")
    [header] = gantt.head
    assert [cell.attrs.get("scope") for cell in header] == ["col"] * 13
    assert header[0].text == "사업명"
    assert [cell.link_text for cell in header[1:]] == [f"{m}월 일정 목록" for m in range(1, 13)]


def test_every_milestone_sits_in_its_month_and_a_span_is_one_cell_across_its_months(
    client, small_plan
):
    rows = rows_by_name(client)
    startup = rows["창업컨설팅"]
    assert [(start, span) for start, span, _ in startup.milestones] == [
        (3, 1),
        (4, 3),
        (7, 1),
        (8, 4),
    ]
    assert "사업수행(4~6월)" in startup.milestones[1][2]
    assert startup.empty_months == 12 - 1 - 3 - 1 - 4
    assert [(s, n) for s, n, _ in rows["맞춤형 성장지원"].milestones] == [(3, 1), (4, 8)]


def test_overlapping_milestones_take_a_second_row_under_one_program_header(client, small_plan):
    visiting = rows_by_name(client)["찾아가는 협동조합 교육"]
    assert visiting.lanes == 2
    assert visiting.header.rowspan == 2
    assert [(s, n) for s, n, _ in visiting.milestones] == [(1, 12), (3, 1)]


def test_sections_and_areas_group_the_programs_in_sheet_order(client, small_plan):
    gantt = table(client)
    rows = program_rows(gantt)
    assert [(r.section, r.area, r.name) for r in rows] == [
        ("서울시사회적경제지원센터 지원사업", "공공구매 활성화", "공공구매 상담회"),
        ("협동조합 지원사업", "컨설팅", "창업컨설팅"),
        ("협동조합 지원사업", "컨설팅", "맞춤형 성장지원"),
        ("협동조합 지원사업", "교육지원", "찾아가는 협동조합 교육"),
    ]
    # One <tbody> per support area, opened by its header row.
    area_bodies = [body for body in gantt.bodies if body[0][0].attrs.get("scope") == "rowgroup"]
    assert [_strip(body[0][0].text) for body in area_bodies] == [
        "공공구매 활성화",
        "컨설팅",
        "교육지원",
    ]
    assert all(body[0][0].colspan == 13 for body in area_bodies)


def _strip(text):
    return text.rsplit(" ", 1)[0]


def test_program_names_are_row_headers_linking_to_their_detail_pages(client, small_plan):
    rows = rows_by_name(client)
    for key, program in small_plan.items():
        header = rows[program.name].header
        assert header.tag == "th" and header.attrs["scope"] == "row", key
        assert header.link_href == program.get_absolute_url()


def test_a_milestone_says_its_kind_in_words_and_symbol_and_shows_exact_dates(client, small_plan):
    html = client.get(URL).content.decode()
    purchase = rows_by_name(client)["공공구매 상담회"]
    (_, _, first), (_, _, second) = purchase.milestones
    assert first == "사전설명회 (2.11) (교육·행사) 2월 11일"
    assert second == "상담회 (2.27-28) (교육·행사) 2월 27일~28일"
    assert '<time datetime="2019-02-27">2월 27일~28일</time>' in html
    # The symbol is drawn beside the label (from data-symbol), never read out.
    assert '<span class="ms__body" data-symbol="◆">상담회 (2.27-28) <span' in html
    spans = rows_by_name(client)["창업컨설팅"].milestones
    assert spans[1][2] == "사업수행(4~6월) (사업 수행·수시, 4~6월)"
    # The legend names every kind with its symbol.
    for symbol, label in [("✎", "공고·접수"), ("▶", "사업 수행·수시"), ("★", "성과 공유")]:
        assert f'aria-hidden="true">{symbol}</span>{label}</li>' in html


def test_each_stretch_of_empty_months_is_one_cell_that_says_so(client, small_plan):
    html = client.get(URL).content.decode()
    rows = rows_by_name(client)
    assert rows["맞춤형 성장지원"].empty_stretches == [(1, 2), (12, 1)]
    assert rows["공공구매 상담회"].empty_stretches == [(3, 10)]
    # The second lane: everything but March is empty, on either side of it.
    assert rows["찾아가는 협동조합 교육"].lane_cells == [
        ["milestone"],
        ["empty", "milestone", "empty"],
    ]
    assert rows["찾아가는 협동조합 교육"].empty_stretches == [(1, 2), (4, 9)]
    assert html.count('<span class="visually-hidden">일정 없음</span>') == sum(
        len(row.empty_stretches) for row in rows.values()
    )


def test_the_current_month_is_marked_only_when_viewing_the_current_year(client, small_plan):
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2019, 4, 9)):
        html = client.get(URL).content.decode()
    assert html.count('aria-current="date"') == 1
    assert 'href="/calendar/2019/4/" aria-current="date">4월' in html
    assert "이번 달" in html

    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2020, 4, 9)):
        html = client.get(URL).content.decode()
    assert 'aria-current="date"' not in html


def test_month_headers_link_to_the_month_view_keeping_the_filters(client, small_plan):
    gantt = table(client, URL + "?area=컨설팅&eligibility=cooperative")
    hrefs = [cell.link_href for cell in gantt.head[0][1:]]
    assert hrefs[0] == "/calendar/2019/1/?area=%EC%BB%A8%EC%84%A4%ED%8C%85&eligibility=cooperative"
    assert hrefs[11].startswith("/calendar/2019/12/?")


def test_the_catalogue_filters_slice_the_calendar(client, small_plan):
    def names(query):
        return [row.name for row in program_rows(table(client, f"{URL}?{query}"))]

    assert names("area=컨설팅") == ["창업컨설팅", "맞춤형 성장지원"]
    assert names("eligibility=pre-cooperative") == ["창업컨설팅", "찾아가는 협동조합 교육"]
    assert names("eligibility=pre-cooperative&area=교육지원") == ["찾아가는 협동조합 교육"]
    assert names("section=서울시사회적경제지원센터 지원사업") == ["공공구매 상담회"]
    assert names("month=8&kind=running") == ["창업컨설팅", "맞춤형 성장지원"]
    assert names("q=상담회") == ["공공구매 상담회"]


def test_a_filter_that_matches_nothing_explains_and_offers_to_clear(client, small_plan):
    html = client.get(URL + "?area=컨설팅&eligibility=village-enterprise").content.decode()
    assert "이 조건에 맞는 사업이 없습니다." in html
    assert "<table" not in html


@pytest.mark.parametrize(
    "query",
    [
        "month=13",
        "year=1899",
        "year=abc",
        "area=없는분야",
        "kind=nonsense",
        "amount_min=abc",
        "eligibility=%00",
        "q=" + "가" * 500,
    ],
)
def test_unusable_parameters_show_a_message_never_a_server_error(client, small_plan, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "주소에 담긴 조건 일부를 쓸 수 없었습니다." in html
    # The rest of the plan is still there.
    assert "<table" in html


def test_a_repeated_parameter_uses_the_last_value(client, small_plan):
    names = [row.name for row in program_rows(table(client, URL + "?area=교육지원&area=컨설팅"))]
    assert names == ["창업컨설팅", "맞춤형 성장지원"]


def test_empty_form_fields_redirect_to_a_short_url(client, small_plan):
    response = client.get(URL + "?q=&area=컨설팅&month=")
    assert response.status_code == 302
    assert response["Location"] == "/calendar/?area=%EC%BB%A8%EC%84%A4%ED%8C%85"


def test_the_year_switch_offers_every_plan_year(client, small_plan, make_program):
    make_program("2020년 사업", year=2020, area="컨설팅", milestones=[("공고/접수", 2, 2)])
    html = client.get(URL + "?year=2019").content.decode()
    assert '<nav class="cal-years no-print" aria-label="사업연도">' in html
    assert 'href="/calendar/?year=2020">2020년</a>' in html
    assert 'href="/calendar/?year=2019" aria-current="page">2019년</a>' in html
    # The latest year is the default.
    assert [row.name for row in program_rows(table(client))] == ["2020년 사업"]


def test_on_narrow_screens_the_table_scrolls_in_a_focusable_labelled_region(client, small_plan):
    gantt = table(client)
    region = gantt.scroll_region
    assert region["tabindex"] == "0"
    assert region["aria-label"].startswith("2019년 추진일정 표")
    html = client.get(URL).content.decode()
    assert 'href="/calendar/2019/1/">1월 일정 목록</a>이 읽기 편합니다' in html


def test_the_page_needs_no_inline_script_or_style(client, small_plan):
    html = client.get(URL).content.decode()
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no onclick= and the like
    assert '<script src="/static/js/calendar.js" defer></script>' in html


def test_a_site_without_any_plan_says_so(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "아직 등록된 지원사업 계획이 없습니다." in response.content.decode()


def test_the_query_count_does_not_grow_with_the_number_of_programs(
    client, small_plan, make_program, django_assert_max_num_queries
):
    # Plans, programs with areas and sections, eligibility, milestones, contact
    # links with desks, and the filter form's choices (areas, tags, desks, sections).
    budget = 10
    with django_assert_max_num_queries(budget):
        client.get(URL)
    numbered_programs(
        make_program,
        30,
        name="추가 사업",
        areas=5,
        desk=("센터", "070-4267-5038"),
        milestones=[("공고/접수", 2, 2), ("사업수행(3~10월)", 3, 10)],
        eligibility=["cooperative"],
    )
    assert Program.objects.count() == 34
    with django_assert_max_num_queries(budget):
        response = client.get(URL)
    assert response.content.decode().count('scope="row"') == 34


# -- the shipped 2019 plan, checked against the sheet itself ------------------------


@pytest.fixture
def sheet_2019():
    return read_sheet(PLAN_2019)


def test_every_2019_milestone_sits_in_the_month_columns_the_sheet_gives_it(
    client, plan_2019, sheet_2019
):
    rows = program_rows(table(client, URL + "?year=2019"))
    assert [r.name for r in rows] == [p.name for p in sheet_2019]
    assert len(rows) == 44
    for row, program in zip(rows, sheet_2019, strict=True):
        # Lanes may order a program's milestones differently from the sheet's rows.
        shown = sorted(row.milestones)
        expected = [(start, end - start + 1, label) for label, start, end in program.milestones]
        assert [(start, span) for start, span, _ in shown] == [e[:2] for e in expected], (
            program.name
        )
        for (_, _, text), (_, _, label) in zip(shown, expected, strict=True):
            assert text.startswith(label), (program.name, text, label)
        assert row.empty_months == 12 * row.lanes - sum(e[1] for e in expected), program.name
        for lane in row.lane_cells:
            assert ["empty", "empty"] not in [lane[i : i + 2] for i in range(len(lane))], row.name
    assert sum(len(row.milestones) for row in rows) == sum(len(p.milestones) for p in sheet_2019)


def test_the_2019_calendar_groups_programs_under_their_section_and_area(
    client, plan_2019, sheet_2019
):
    gantt = table(client, URL + "?year=2019")
    rows = program_rows(gantt)
    assert [(r.section, r.area) for r in rows] == [(p.section, p.area) for p in sheet_2019]
    areas = list(dict.fromkeys(p.area for p in sheet_2019))
    area_bodies = [body for body in gantt.bodies if body[0][0].attrs.get("scope") == "rowgroup"]
    assert [_strip(body[0][0].text) for body in area_bodies] == areas
    assert len(areas) == 16
    sections = [body[0][0].text for body in gantt.bodies if body[0][0].tag == "td"]
    assert sections == [
        "서울시사회적경제지원센터 지원사업 30개 사업",
        "협동조합 지원사업 14개 사업",
    ]


def test_the_2019_calendar_sliced_to_cooperatives_in_education(client, plan_2019):
    # "협동조합 대상, 교육 분야": the issue's own example. 지원대상 "서울시 협동조합".
    rows = program_rows(table(client, URL + "?year=2019&eligibility=cooperative&area=교육지원"))
    assert [r.name for r in rows] == ["경영개선아카데미", "한해살이맞춤교육"]
    assert {r.area for r in rows} == {"교육지원"}


@pytest.mark.parametrize("month", [1, 4, 12])
def test_the_2019_calendar_sliced_to_a_month_shows_the_programs_busy_then(
    client, plan_2019, sheet_2019, month
):
    rows = program_rows(table(client, f"{URL}?year=2019&month={month}"))
    expected = [p.name for p in sheet_2019 if any(s <= month <= e for _, s, e in p.milestones)]
    assert [r.name for r in rows] == expected
    assert expected


def test_the_2019_calendar_costs_a_fixed_number_of_queries(
    client, plan_2019, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get(URL + "?year=2019")
    assert response.content.decode().count('scope="row"') == 44


def test_the_2019_calendar_stays_within_1400_elements(client, plan_2019, sheet_2019):
    """Every element is style, layout and memory on a phone: the whole 2019 plan
    was 2,231 elements before empty months were joined and decoration moved to CSS,
    and Lighthouse flags pages over 1,400."""

    class Elements(HTMLParser):
        count = 0

        def handle_starttag(self, tag, attrs):
            self.count += 1

    html = client.get(URL + "?year=2019").content.decode()
    page = Elements()
    page.feed(html)
    assert page.count <= 1400
    # The budget holds with the whole plan on the page, every milestone in its cell.
    rows = program_rows(read_table(html))
    assert len(rows) == len(sheet_2019) == 44
    assert sum(len(row.milestones) for row in rows) == sum(len(p.milestones) for p in sheet_2019)
