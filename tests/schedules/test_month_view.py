"""The by-month list: everything happening in one month, grouped by kind,
application first; reads well on a phone."""

import re
from collections import Counter

import pytest

from programs.models import Program
from tests.support.calendar_data import PLAN_2019, build_small_plan, read_sheet
from tests.support.sample_programs import numbered_programs


@pytest.fixture
def small_plan(make_program):
    return build_small_plan(make_program)


def month_page(client, year, month, query=""):
    response = client.get(f"/calendar/{year}/{month}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def group_titles(html):
    return [
        re.sub(r"<[^>]+>", "", title).split("</span>")[0].strip()
        for title in re.findall(r'<h2 class="month-group__title"[^>]*>(.*?)</h2>', html)
    ]


def names(html):
    return re.findall(r'<h3 class="month-item__name"><a href="[^"]+">([^<]+)</a>', html)


def test_it_lists_the_months_milestones_grouped_by_kind_application_first(client, small_plan):
    html = month_page(client, 2019, 3)
    # 3월: three applications; the visiting education runs all year.
    assert group_titles(html) == ["✎공고·접수 3건", "◆교육·행사 1건"]
    applications, education = html.split('id="kind-education"')
    assert names(applications) == ["창업컨설팅", "맞춤형 성장지원", "찾아가는 협동조합 교육"]
    assert names(education) == ["찾아가는 협동조합 교육"]


def test_a_span_shows_in_every_month_it_covers_saying_where_it_started(client, small_plan):
    for month in range(4, 12):
        html = month_page(client, 2019, month)
        assert "맞춤형 성장지원" in names(html), month
    assert "4~11월 · 이달 시작" in month_page(client, 2019, 4)
    assert "4~11월 · 진행 중" in month_page(client, 2019, 6)
    assert "맞춤형 성장지원" not in names(month_page(client, 2019, 12))


def test_each_entry_shows_program_area_eligibility_dates_and_contact(client, small_plan):
    html = month_page(client, 2019, 2)
    program = small_plan["purchase"]
    assert names(html) == ["공공구매 상담회", "찾아가는 협동조합 교육"]
    assert f'href="{program.get_absolute_url()}"' in html
    assert "상담회 (2.27-28)" in html
    assert '<time datetime="2019-02-27">2월 27일~28일</time>' in html
    assert "공공구매 활성화" in html
    assert "서울시 사회적경제기업" in html
    assert '<a href="tel:+827042703942">070-4270-3942</a>' in html


def test_previous_and_next_links_stay_within_planned_years(client, small_plan, make_program):
    html = month_page(client, 2019, 1)
    assert "이전 달 계획 없음" in html
    assert 'href="/calendar/2019/2/" rel="next"' in html
    html = month_page(client, 2019, 12)
    assert 'href="/calendar/2019/11/" rel="prev"' in html
    assert "다음 달 계획 없음" in html

    make_program("2020년 사업", year=2020, milestones=[("공고/접수", 1, 1)])
    html = month_page(client, 2019, 12)
    assert 'href="/calendar/2020/1/" rel="next">2020년 1월' in html


def test_filters_narrow_the_month_and_follow_the_month_links(client, small_plan):
    html = month_page(client, 2019, 3, "?eligibility=pre-cooperative&kind=application")
    assert names(html) == ["창업컨설팅", "찾아가는 협동조합 교육"]
    assert group_titles(html) == ["✎공고·접수 2건"]
    assert 'href="/calendar/2019/4/?eligibility=pre-cooperative&amp;kind=application"' in html


def test_a_month_with_nothing_says_so(client, small_plan):
    html = month_page(client, 2019, 12, "?area=컨설팅")
    assert "12월에는 이 조건에 맞는 일정이 없습니다." in html


@pytest.mark.parametrize(
    "url",
    [
        "/calendar/2019/0/",
        "/calendar/2019/13/",
        "/calendar/2019/99999999999999999999999/",
        "/calendar/2018/3/",
        "/calendar/99999999999999999999/3/",
        "/calendar/0/3/",
        "/calendar/2019/-1/",
        "/calendar/2019/march/",
        "/calendar/abc/3/",
    ],
)
def test_a_month_or_year_outside_the_plan_is_not_found(client, small_plan, url):
    assert client.get(url).status_code == 404


def test_unusable_parameters_are_named_not_fatal(client, small_plan):
    response = client.get("/calendar/2019/3/?kind=xyz&month=77&year=abc")
    assert response.status_code == 200
    html = response.content.decode()
    assert "일정 종류(kind): ‘xyz’" in html
    # The path names the month and year; the query's copies are ignored.
    assert "월(month)" not in html and "사업연도(year)" not in html


def test_the_query_count_does_not_grow_with_the_number_of_programs(
    client, small_plan, make_program, django_assert_max_num_queries
):
    # Plans, milestones with their programs, eligibility, contact links, desks.
    budget = 6
    with django_assert_max_num_queries(budget):
        client.get("/calendar/2019/2/")
    numbered_programs(
        make_program,
        20,
        name="추가 사업",
        areas=4,
        desk=("센터", "070-4267-5038"),
        milestones=[("공고/접수", 3, 3)],
        eligibility=["cooperative"],
    )
    assert Program.objects.count() == 24
    with django_assert_max_num_queries(budget):
        html = month_page(client, 2019, 3)
    assert len(names(html)) == 4 + 20


def test_each_2019_month_lists_every_milestone_the_sheet_has_in_that_month(client, plan_2019):
    sheet = read_sheet(PLAN_2019)
    for month in range(1, 13):
        html = month_page(client, 2019, month)
        expected = Counter(
            p.name for p in sheet for _, start, end in p.milestones if start <= month <= end
        )
        assert Counter(names(html)) == expected, month
        assert f"일정 <strong>{sum(expected.values())}건</strong>" in html


def test_the_2019_april_applications_come_first(client, plan_2019):
    html = month_page(client, 2019, 4)
    titles = group_titles(html)
    assert titles[0].startswith("✎공고·접수")
    applications = html.split('id="kind-application"')[1].split('<section class="month-group"')[0]
    assert "참여기업 공고/선정" in applications  # 컨설팅 지원, April
