"""The home page: the year at a glance."""

import html
import re

import pytest
from django.utils import timezone

from tests.support.sample_programs import numbered_programs


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def month_boxes(markup: str) -> dict[str, list[str]]:
    """Heading of each "opens for application" month -> program names listed."""
    boxes = re.findall(
        r'<section class="openings__month"[^>]*>\s*<h3[^>]*>(.*?)</h3>(.*?)</section>', markup, re.S
    )
    return {
        text_of(title).strip(): [
            html.unescape(name) for name in re.findall(r'<li>\s*<a href="[^"]+">([^<]+)</a>', body)
        ]
        for title, body in boxes
    }


@pytest.fixture
def plan_2019(make_program):
    make_program(
        "생협매장 입점지원",
        section="서울시사회적경제지원센터 지원사업",
        area="민간판로 지원",
        milestones=[("공고/접수", 1, 1), ("선정/협약", 2, 2)],
        contacts=[("", "판로지원팀", "+827042675038")],
    )
    make_program(
        "유통채널 입점지원",
        section="서울시사회적경제지원센터 지원사업",
        area="민간판로 지원",
        milestones=[("공고/접수", 2, 2), ("수시 진행", 3, 11)],
        contacts=[("", "판로지원팀", "+827042675038")],
    )
    make_program(
        "창업컨설팅",
        area="컨설팅",
        milestones=[("공고/접수/선정", 3, 3), ("사업수행(4~6월)", 4, 6)],
        contacts=[("서울시협동조합지원센터", "", "+827041688536")],
    )
    make_program(
        "상담",
        area="상담",
        milestones=[("상시 접수", 1, 12)],
        contacts=[("서울시협동조합지원센터", "", "+8215445077")],
    )


def test_it_counts_the_programs_of_each_area_under_its_section(client, plan_2019):
    markup = client.get("/").content.decode()
    assert "지원사업 <strong>4개</strong>" in markup
    areas = re.findall(
        r'<a href="([^"]+)"><span class="area-list__name">([^<]+)</span> '
        r'<span class="area-list__count">(\d+)개</span>',
        markup,
    )
    assert [(name, int(count)) for _, name, count in areas] == [
        ("민간판로 지원", 2),
        ("컨설팅", 1),
        ("상담", 1),
    ]
    assert html.unescape(areas[1][0]) == "/programs/?area=%EC%BB%A8%EC%84%A4%ED%8C%85"
    groups = re.findall(r'<h3 [^>]*class="area-group__title">([^<]+)<span', markup)
    assert [g.strip() for g in groups] == ["서울시사회적경제지원센터 지원사업", "협동조합 지원사업"]


def test_a_past_plan_shows_what_opens_in_its_first_two_months(client, plan_2019):
    boxes = month_boxes(client.get("/").content.decode())
    assert boxes == {
        "1월 2개": ["생협매장 입점지원", "상담"],
        "2월 2개": ["유통채널 입점지원", "상담"],
    }


def test_the_current_plan_shows_what_opens_this_month_and_next(client, make_program):
    today = timezone.localdate()
    this_month = today.month
    next_month = this_month + 1 if this_month < 12 else None
    later = 1 if this_month != 1 and next_month != 1 else 6
    make_program(
        "이번 달 공고", year=today.year, milestones=[("공고/접수", this_month, this_month)]
    )
    make_program("다른 달 공고", year=today.year, milestones=[("공고/접수", later, later)])
    make_program("이번 달 교육", year=today.year, milestones=[("교육", this_month, this_month)])
    if next_month:
        make_program(
            "다음 달 공고", year=today.year, milestones=[("모집공고", next_month, next_month)]
        )
    boxes = month_boxes(client.get("/").content.decode())
    expected = {f"{this_month}월 이번 달 1개": ["이번 달 공고"]}
    if next_month:
        expected[f"{next_month}월 다음 달 1개"] = ["다음 달 공고"]
    assert boxes == expected


def test_a_busy_month_shows_eight_and_links_to_the_rest(client, make_program):
    for number in range(10):
        make_program(f"1월 공고 {number}", milestones=[("공고/접수", 1, 1)])
    markup = html.unescape(client.get("/").content.decode())
    boxes = month_boxes(markup)
    assert boxes["1월 10개"] == [f"1월 공고 {number}" for number in range(8)]
    assert (
        '<a href="/programs/?month=1&kind=application">1월 공고·접수 사업 10개 모두 보기</a>'
        in markup
    )


def test_each_month_links_to_the_catalogue_filtered_to_applications(client, plan_2019):
    markup = html.unescape(client.get("/").content.decode())
    assert (
        '<a href="/programs/?month=1&kind=application">1월 공고·접수 사업 목록에서 보기</a>'
        in markup
    )


def test_it_links_to_the_catalogue_and_the_calendar(client, plan_2019):
    markup = client.get("/").content.decode()
    assert 'href="/programs/">지원사업 4개 모두 보기</a>' in markup
    assert 'href="/calendar/"' in markup
    assert 'action="/programs/" role="search"' in markup


def test_it_lists_each_centers_desks_with_numbers_to_tap(client, plan_2019):
    markup = client.get("/").content.decode()
    centers = re.findall(
        r'<h3 [^>]*class="desk-center__title">([^<]+)</h3>\s*<ul class="desk-list">(.*?)</ul>',
        markup,
        re.S,
    )
    listed = {
        name: [text_of(item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", body, re.S)]
        for name, body in centers
    }
    assert listed == {
        "서울시사회적경제지원센터 지원사업": ["판로지원팀 070-4267-5038"],
        # One line per team, all its numbers on it.
        "협동조합 지원사업": ["서울시협동조합지원센터 1544-5077 070-4168-8536"],
    }
    assert 'href="tel:15445077"' in markup


def test_year_switching_shows_the_chosen_plan(client, plan_2019, make_program):
    make_program("2020 사업", year=2020, area="새 분야", milestones=[("공고", 1, 1)])
    latest = client.get("/").content.decode()
    assert "2020년 서울 사회적경제 지원사업" in latest
    assert month_boxes(latest)["1월 1개"] == ["2020 사업"]
    older = client.get("/", {"year": "2019"}).content.decode()
    assert "2019년 서울 사회적경제 지원사업" in older
    assert '<a href="/?year=2019" aria-current="page">2019년</a>' in older
    # Links from an older year's home stay in that year.
    assert 'href="/programs/?year=2019">지원사업 4개 모두 보기</a>' in older


def test_an_unknown_year_is_named_and_the_latest_plan_shown(client, plan_2019):
    response = client.get("/", {"year": "2300"})
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "사업연도(year): ‘2300’년 계획은 없습니다" in text
    assert "2019년 서울 사회적경제 지원사업" in text


@pytest.mark.parametrize("count", [2, 24])
def test_the_number_of_queries_does_not_grow_with_the_programs(
    client, make_program, django_assert_max_num_queries, count
):
    numbered_programs(
        make_program,
        count,
        areas=5,
        teams=6,
        eligibility=(),
        milestones=[("공고/접수", 1, 2), ("사업수행", 3, 11)],
    )
    with django_assert_max_num_queries(5):
        client.get("/")
