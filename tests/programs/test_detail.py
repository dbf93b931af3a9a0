"""/programs/<id>/: everything about one program."""

import html
import re

import pytest

from programs.models import Program
from tests.support.sample_programs import market_entry, numbered_programs


def page(client, program) -> str:
    response = client.get(program.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def timeline_rows(markup: str) -> list[list[tuple[int, str]]]:
    """Each timeline row as (colspan, text) per cell."""
    body = re.search(r'<table class="timeline">.*?<tbody>(.*?)</tbody>', markup, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td([^>]*)>(.*?)</td>", row, re.S)
        rows.append(
            [
                (
                    int(re.search(r'colspan="(\d+)"', attrs).group(1)) if "colspan" in attrs else 1,
                    text_of(content).strip(),
                )
                for attrs, content in cells
            ]
        )
    return rows


@pytest.fixture
def spanning(make_program):
    return market_entry(
        make_program,
        [
            ("공고/접수", 2, 2),
            ("상담회 (2.27-28)", 3, 3),
            ("수시 진행", 4, 11),
            ("중간결과 보고", 7, 7),
            ("성과공유회", 12, 12),
        ],
        summary="대형 유통채널 입점을 돕습니다.",
        link="https://sehub.net/notice/1",
    )


def test_a_span_is_one_cell_across_its_months_and_overlaps_get_a_second_row(client, spanning):
    first, second = timeline_rows(page(client, spanning))
    assert [span for span, _ in first] == [1, 1, 1, 8, 1]
    assert first[3] == (8, "▶ 사업 수행·수시 수시 진행 (4~11월)")
    assert first[1] == (1, "✎ 공고·접수 공고/접수")
    # The report in July sits inside the span, so it goes to a row of its own.
    assert (1, "▤ 보고 중간결과 보고") in second
    assert sum(span for span, _ in second) == 12


def test_every_milestone_is_listed_with_its_kind_and_exact_dates(client, spanning):
    markup = page(client, spanning)
    items = re.findall(r'<li class="milestone milestone--(\w+)">(.*?)</li>', markup, re.S)
    assert [(kind, text_of(body).strip()) for kind, body in items] == [
        ("application", "2월 공고/접수 ✎ 공고·접수"),
        # text_of spaces out tags: on the page it reads "2월 27일~28일".
        ("education", "3월 상담회 (2.27-28) ◆ 교육·행사 · 2월 27일 ~ 28일"),
        ("running", "4~11월 수시 진행 ▶ 사업 수행·수시"),
        ("report", "7월 중간결과 보고 ▤ 보고"),
        ("results", "12월 성과공유회 ★ 성과 공유"),
    ]
    # One <time> per day named: a datetime attribute holds a date, not a range.
    assert (
        '<time datetime="2019-02-27">2월 27일</time>~<time datetime="2019-02-28">28일</time>'
        in markup
    )


def test_it_shows_the_amounts_as_written_and_as_read(client, spanning):
    text = text_of(page(client, spanning))
    assert "최대 7,000만 원" in text and "계획표 원문: ‘최대 7천만원’" in text
    assert "1억 2,400만 원" in text and "계획표 원문: ‘1.24억원’" in text
    assert "서울시 사회적경제기업" in text and "사회적경제기업" in text


def test_it_shows_the_staff_summary_link_calendar_file_and_breadcrumbs(client, spanning):
    markup = page(client, spanning)
    assert "대형 유통채널 입점을 돕습니다." in markup
    assert 'href="https://sehub.net/notice/1"' in markup
    assert f'href="/programs/{spanning.pk}/calendar.ics"' in markup
    crumbs = re.search(
        r'<nav class="breadcrumbs[^"]*" aria-label="현재 위치">(.*?)</nav>', markup, re.S
    )
    items = re.findall(r"<li>(.*?)</li>", crumbs.group(1), re.S)
    assert [text_of(item).strip() for item in items] == [
        "홈",
        "2019년 지원사업",
        "민간판로 지원",
        "유통채널 입점지원",
    ]
    assert (
        'href="/programs/?year=2019&amp;area=%EB%AF%BC%EA%B0%84%ED%8C%90%EB%A1%9C+%EC%A7%80%EC%9B%90"'
        in markup
    )


def test_several_contacts_each_get_a_number_to_tap(client, make_program):
    program = make_program(
        "찾아가는 (사회적)협동조합 교육",
        area="교육지원",
        milestones=[("공지/접수", 3, 3)],
        contacts=[
            ("신나는조합", "협동조합팀", "+827048705086"),
            ("서울시협동조합지원센터", "", "+827041688323"),
        ],
    )
    markup = page(client, program)
    desks = re.findall(r'<li class="desk">(.*?)</li>', markup, re.S)
    assert [text_of(desk).split() for desk in desks] == [
        ["신나는조합", "협동조합팀", "전화", "070-4870-5086"],
        ["서울시협동조합지원센터", "전화", "070-4168-8323"],
    ]
    assert 'href="tel:+827048705086"' in markup and 'href="tel:+827041688323"' in markup


def test_a_nationwide_number_dials_as_written(client, make_program):
    program = make_program("상담", contacts=[("서울시협동조합지원센터", "", "+8215445077")])
    assert 'href="tel:15445077">1544-5077</a>' in page(client, program)


def test_a_program_with_no_contact_and_no_months_says_where_to_ask(client, make_program):
    program = make_program("설립교육", area="교육지원")
    make_program("입문교육", area="교육지원")
    text = text_of(page(client, program))
    assert "계획표에 이 사업의 문의처가 적혀 있지 않습니다" in text
    assert "계획표에 이 사업의 월별 일정이 적혀 있지 않습니다" in text
    assert "캘린더에 추가" not in text  # nothing to add
    assert "‘교육지원’ 분야의 다른 사업 입문교육" in text


def test_other_programs_of_the_area_are_linked_in_sheet_order(client, make_program):
    first = make_program("입문교육", area="교육지원")
    second = make_program("창업교육", area="교육지원")
    make_program("다른 분야 사업", area="컨설팅")
    markup = page(client, second)
    neighbours = re.search(r'<ul class="neighbours">(.*?)</ul>', markup, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', neighbours) == [
        (first.get_absolute_url(), "입문교육")
    ]


def test_an_unknown_program_is_404(client, db):
    assert client.get("/programs/999999/").status_code == 404
    # Beyond any database integer: still a plain 404.
    assert client.get(f"/programs/{'9' * 30}/").status_code == 404


@pytest.mark.parametrize("count", [1, 15])
def test_the_number_of_queries_does_not_grow_with_milestones_or_neighbours(
    client, make_program, django_assert_max_num_queries, count
):
    *_, program = numbered_programs(
        make_program,
        count,
        milestones=[(f"{month}월 교육", month, month) for month in range(1, 13)],
        eligibility=["cooperative", "citizen"],
    )
    # Six for the page, one for the change log's check (history.changelog).
    with django_assert_max_num_queries(7):
        client.get(program.get_absolute_url())


# -- the 2019 plan ---------------------------------------------------------------------


def program_2019(name):
    return Program.objects.get(area__plan_id=2019, name=name)


def test_2019_startup_consulting_spans_its_two_working_periods(client, plan_2019):
    # 창업컨설팅: 공고/접수/선정 → 사업수행(4~6월) → 공고/접수/선정 → 사업수행(7~11월).
    markup = page(client, program_2019("창업컨설팅"))
    spans = [cell for row in timeline_rows(markup) for cell in row if cell[0] > 1]
    assert spans == [
        (3, "▶ 사업 수행·수시 사업수행(4~6월) (4~6월)"),
        (5, "▶ 사업 수행·수시 사업수행(7~11월) (7~11월)"),
    ]
    assert "서울시협동조합지원센터" in markup and 'href="tel:+827041688536"' in markup


def test_2019_public_procurement_sales_has_two_desks(client, plan_2019):
    # 판로지원팀 070-4267-5044 and 공공구매영업지원단 070-4270-3942.
    markup = page(client, program_2019("공공구매 영업지원(교육/상담 등)"))
    desks = re.findall(r'<li class="desk">(.*?)</li>', markup, re.S)
    assert [text_of(desk).split() for desk in desks] == [
        ["판로지원팀", "전화", "070-4267-5044"],
        ["공공구매영업지원단", "전화", "070-4270-3942"],
    ]


def test_2019_themed_research_has_no_contact_at_all(client, plan_2019):
    # 연구지원 rows end at "2식" / "3식": the sheet names nobody to call.
    markup = page(client, program_2019("기획주제형"))
    assert "계획표에 이 사업의 문의처가 적혀 있지 않습니다" in text_of(markup)
    assert 'href="tel:' not in markup
    assert "자유주제형" in text_of(
        re.search(r'<ul class="neighbours">(.*?)</ul>', markup, re.S).group(1)
    )


def test_2019_counselling_links_its_website(client, plan_2019):
    markup = page(client, program_2019("전화/내방/맞춤형/기획상담"))
    assert 'href="tel:15445077">1544-5077</a>' in markup
    assert 'href="https://seoulcoop.net"' in markup
