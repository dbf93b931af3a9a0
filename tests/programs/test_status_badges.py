"""Today's application status, shown as a badge with words on the catalogue, the
detail page, the home page and the month list: at month and year boundaries, in
Seoul, whatever the server's clock says."""

import datetime as dt
import html
import re
from unittest import mock

import pytest
from django.utils import timezone


def seoul(year, month, day, hour=12) -> dt.datetime:
    """An aware UTC instant that is `hour` o'clock on that day in Seoul (UTC+9)."""
    return dt.datetime(
        year, month, day, hour, tzinfo=dt.timezone(dt.timedelta(hours=9))
    ).astimezone(dt.UTC)


def get(client, url, now) -> str:
    with mock.patch.object(timezone, "now", return_value=now):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


def badges(markup: str) -> list[str]:
    """The text of each status line on a page, in page order."""
    return [
        text_of(line)
        for line in re.findall(
            r'<span class="status-line">(.*?)</span>(?=</p>|\s*<span class="board__area">)',
            markup,
            re.S,
        )
    ]


def statuses_by_name(items: list[str], name: str, status: str) -> dict[str, str]:
    """Program name -> its status line ("" without one), for each item's markup;
    `name` and `status` are patterns whose one group is the text."""
    found = {}
    for item in items:
        line = re.search(status, item, re.S)
        program = text_of(re.search(name, item, re.S).group(1))
        found[program] = text_of(line.group(1)) if line else ""
    return found


def card_statuses(markup: str) -> dict[str, str]:
    """Catalogue result name -> its status line ("" without one)."""
    cards = re.findall(
        r'<li class="result">(.*?)</li>\s*(?=<li class="result">|</ol>)', markup, re.S
    )
    return statuses_by_name(
        cards, r'<h3 class="result__name">(.*?)</h3>', r'<p class="result__status">(.*?)</p>'
    )


@pytest.fixture
def plan(make_program):
    make_program("3월 접수", milestones=[("공고/접수", 3, 3), ("선정", 4, 4)])
    make_program("3월 날짜 접수", milestones=[("접수 (3.4~3.18)", 3, 3)])
    make_program("12월 접수", milestones=[("공고/접수", 12, 12)])
    make_program("접수 없음", milestones=[("교육", 3, 5)])


def test_a_card_says_open_on_the_first_day_of_the_month_and_closed_on_the_first_of_the_next(
    client, plan
):
    assert card_statuses(get(client, "/programs/", seoul(2019, 2, 28, 23)))["3월 접수"] == (
        "접수 예정"
    )
    # Midnight in Seoul is still the previous day in UTC: Seoul's date decides.
    assert card_statuses(get(client, "/programs/", seoul(2019, 3, 1, 0)))["3월 접수"] == "접수중"
    assert card_statuses(get(client, "/programs/", seoul(2019, 3, 31, 23)))["3월 접수"] == "접수중"
    assert card_statuses(get(client, "/programs/", seoul(2019, 4, 1, 0)))["3월 접수"] == "마감"


def test_a_program_without_application_milestones_shows_no_badge_and_closed_ones_stay_listed(
    client, plan
):
    statuses = card_statuses(get(client, "/programs/", seoul(2019, 5, 2)))
    assert statuses == {
        "3월 접수": "마감",
        "3월 날짜 접수": "마감",
        "12월 접수": "접수 예정",
        "접수 없음": "",
    }


def test_an_exact_deadline_counts_down_and_is_closing_soon_within_seven_days(client, plan):
    markup = get(client, "/programs/", seoul(2019, 3, 10))
    assert "마감 D-8" in markup
    # Eight days left: not yet closing soon.
    assert card_statuses(markup)["3월 날짜 접수"] == "접수중 마감 D-8 마감까지 8일"
    assert card_statuses(get(client, "/programs/", seoul(2019, 3, 11)))["3월 날짜 접수"] == (
        "접수중 마감임박 마감 D-7 마감까지 7일"
    )
    assert card_statuses(get(client, "/programs/", seoul(2019, 3, 18)))["3월 날짜 접수"] == (
        "접수중 마감임박 오늘 마감"
    )
    assert card_statuses(get(client, "/programs/", seoul(2019, 3, 19)))["3월 날짜 접수"] == "마감"
    # Without an exact last day there is no countdown, only the month.
    assert card_statuses(get(client, "/programs/", seoul(2019, 3, 28)))["3월 접수"] == "접수중"


def test_the_new_year_in_seoul_opens_a_plan_before_utc_does(client, make_program):
    make_program("1월 접수", year=2020, milestones=[("공고/접수", 1, 1)])
    new_year_in_seoul = dt.datetime(2019, 12, 31, 15, 30, tzinfo=dt.UTC)
    assert card_statuses(get(client, "/programs/", new_year_in_seoul - dt.timedelta(hours=1))) == {
        "1월 접수": "접수 예정"
    }
    assert card_statuses(get(client, "/programs/", new_year_in_seoul)) == {"1월 접수": "접수중"}


def test_a_past_plan_marks_everything_closed_in_the_next_year(client, plan):
    statuses = card_statuses(get(client, "/programs/", seoul(2020, 1, 1, 0)))
    assert statuses["12월 접수"] == "마감"
    assert statuses["3월 날짜 접수"] == "마감"


def test_the_detail_page_shows_the_status_and_the_period_beside_the_title(client, plan):
    from programs.models import Program

    exact = Program.objects.get(name="3월 날짜 접수").get_absolute_url()
    months = Program.objects.get(name="3월 접수").get_absolute_url()
    none = Program.objects.get(name="접수 없음").get_absolute_url()

    def status_line(markup):
        head = re.search(r'<h1 class="program__name">.*?</h1>\s*(.*?)<ul', markup, re.S).group(1)
        return text_of(head)

    assert status_line(get(client, exact, seoul(2019, 3, 15))) == (
        "접수중 마감임박 마감 D-3 마감까지 3일 접수 3월 4일~18일"
    )
    assert status_line(get(client, exact, seoul(2019, 2, 28))) == "접수 예정 접수 3월 4일~18일"
    assert status_line(get(client, months, seoul(2019, 3, 31))) == "접수중 접수 3월"
    assert status_line(get(client, months, seoul(2019, 4, 1))) == "마감 접수 3월"
    assert 'class="program__status"' not in get(client, none, seoul(2019, 3, 15))


def test_a_program_applying_twice_is_told_by_its_next_period_after_the_first(client, make_program):
    program = make_program("두 번 접수", milestones=[("1차 모집", 3, 3), ("2차 모집", 9, 10)])
    markup = get(client, program.get_absolute_url(), seoul(2019, 6, 1))
    assert "접수 예정" in text_of(markup) and "접수 9~10월" in text_of(markup)
    markup = get(client, program.get_absolute_url(), seoul(2019, 11, 1))
    assert "마감" in text_of(markup) and "접수 9~10월" in text_of(markup)


def home_board(markup: str) -> dict[str, list[str]]:
    """Each group of the home page's status board -> "name: status line" per entry."""
    groups = re.findall(
        r'<section class="board__group board__group--(\w+)"[^>]*>(.*?)</section>', markup, re.S
    )
    board = {}
    for name, body in groups:
        items = re.findall(r'<li class="board__item">(.*?)</li>', body, re.S)
        board[name] = [
            text_of(re.sub(r'<span class="board__area">.*?</span>', "", item, flags=re.S))
            for item in items
        ]
    return board


def test_home_lists_what_is_open_today_first_nearest_deadline_first_then_what_opens_next(
    client, make_program
):
    make_program("3월 내내", milestones=[("공고/접수", 3, 3)])
    make_program("3월 중순까지", milestones=[("접수 (3.4~3.15)", 3, 3)])
    make_program("3월 말까지", milestones=[("접수 (3.11~3.29)", 3, 3)])
    make_program("6월 접수", milestones=[("모집", 6, 6)])
    make_program("4월 접수", milestones=[("모집", 4, 4)])
    make_program("2월 접수", milestones=[("모집", 2, 2)])
    markup = get(client, "/", seoul(2019, 3, 12))
    assert markup.index('id="now-title"') < markup.index('id="openings-title"')
    assert home_board(markup) == {
        "open": [
            "3월 중순까지 접수중 마감임박 마감 D-3 마감까지 3일 접수 3월 4일~15일",
            "3월 말까지 접수중 마감 D-17 마감까지 17일 접수 3월 11일~29일",
            "3월 내내 접수중 접수 3월",
        ],
        "upcoming": ["4월 접수 접수 예정 접수 4월", "6월 접수 접수 예정 접수 6월"],
    }
    assert 'href="/programs/?status=open"' in markup
    assert "3월 14일 기준" not in markup and "3월 12일 기준" in markup


def test_home_on_the_last_day_of_the_year_then_the_first_of_the_next(client, make_program):
    make_program("12월 접수", milestones=[("공고/접수", 12, 12)])
    last_day = home_board(get(client, "/", seoul(2019, 12, 31, 23)))
    assert last_day == {"open": ["12월 접수 접수중 접수 12월"], "upcoming": []}
    markup = get(client, "/", seoul(2020, 1, 1, 0))
    assert home_board(markup) == {"open": [], "upcoming": []}
    assert "오늘 접수중인 사업은 없습니다" in markup
    assert "2019년 계획의 접수 일정은 모두 지났습니다" in markup


def test_home_shows_eight_open_programs_and_links_to_all_of_them(client, make_program):
    for number in range(10):
        make_program(f"접수 {number}", milestones=[("공고/접수", 5, 5)])
    markup = html.unescape(get(client, "/", seoul(2019, 5, 20)))
    assert len(home_board(markup)["open"]) == 8
    assert '<a href="/programs/?status=open">접수중 사업 10개 모두 보기</a>' in markup


def test_the_home_page_still_costs_the_same_queries_with_the_status_board(
    client, make_program, django_assert_max_num_queries
):
    for number in range(20):
        make_program(f"사업 {number}", milestones=[("공고/접수", 1 + number % 12, 1 + number % 12)])
    with (
        mock.patch.object(timezone, "now", return_value=seoul(2019, 5, 2)),
        django_assert_max_num_queries(5),
    ):
        client.get("/")


def month_items(markup: str) -> dict[str, str]:
    """Month list: program name -> the status line of its item ("" without one)."""
    items = re.findall(r'<li class="month-item[^"]*">(.*?)</li>', markup, re.S)
    return statuses_by_name(
        items, r"<h3[^>]*>(.*?)</h3>", r'<span class="status-line">(.*?)</span>\s*</p>'
    )


def test_the_month_list_tells_each_application_period_its_own_status(client, make_program):
    make_program("두 번 접수", milestones=[("1차 모집", 3, 3), ("2차 모집 (4.1~4.5)", 4, 4)])
    make_program("4월 교육", milestones=[("교육", 4, 4)])
    markup = get(client, "/calendar/2019/4/", seoul(2019, 4, 3))
    assert month_items(markup) == {
        "두 번 접수": "접수중 마감임박 마감 D-2 마감까지 2일",
        "4월 교육": "",
    }
    march = get(client, "/calendar/2019/3/", seoul(2019, 4, 3))
    # The first period is over even though the program's next one is open.
    assert month_items(march) == {"두 번 접수": "마감"}


def test_the_month_list_marks_today_only_in_the_current_month(client, make_program):
    make_program("4월 교육", milestones=[("교육", 4, 4)])
    current = get(client, "/calendar/2019/4/", seoul(2019, 4, 3))
    assert '오늘은 <time datetime="2019-04-03">4월 3일</time>입니다' in current
    assert '<span class="cal-now">이번 달</span>' in current
    other = get(client, "/calendar/2019/4/", seoul(2019, 5, 3))
    assert "오늘은" not in other and "cal-now" not in other


def test_the_calendar_marks_the_current_month_column(client, make_program):
    make_program("4월 교육", milestones=[("교육", 4, 4)])
    current = get(client, "/calendar/", seoul(2019, 4, 3))
    marked = re.findall(r'<a href="/calendar/2019/(\d+)/"[^>]*aria-current="date"', current)
    assert marked == ["4"]
    assert 'class="gantt__now">이번 달</span>' in current
    assert 'aria-current="date"' not in get(client, "/calendar/", seoul(2020, 4, 3))


def test_the_calendar_names_each_programs_status_beside_its_name(client, plan):
    markup = get(client, "/calendar/", seoul(2019, 3, 15))
    rows = {
        html.unescape(name): text_of(rest)
        for name, rest in re.findall(
            r'<th scope="row" class="gantt__program"[^>]*><a href="[^"]+">([^<]+)</a>'
            r'(.*?)<span class="gantt__meta">',
            markup,
            re.S,
        )
    }
    assert rows == {
        "3월 접수": "접수중",
        "3월 날짜 접수": "접수중 · 마감 D-3",
        "12월 접수": "접수 예정",
        "접수 없음": "",
    }
    assert 'class="status status--soon gantt__status">접수중 · 마감 D-3<' in markup
