"""Application status badges and the self-check (자가진단), in a real browser.

The live server runs in this process, so pinning Django's clock here pins
"today" for the pages too: 14 March 2019, when the 2019 plan has programs open,
upcoming and closed. One application gets exact dates ending four days later,
so the D-day and "마감임박" are on the page as well."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone

from programs.models import Program
from schedules.kinds import Kind
from schedules.models import Milestone
from schedules.status import Status
from tests.browser.pages import YEAR
from tests.browser.support import (
    assert_quiet_console,
    axe_at_both_widths,
    screenshot,
    visit,
)

pytestmark = pytest.mark.browser

MARCH_14_IN_SEOUL = dt.datetime(YEAR, 3, 14, 3, 0, tzinfo=dt.UTC)
TODAY = dt.date(YEAR, 3, 14)
CLOSING = "일상경영 지원(멘토링)"


@pytest.fixture
def march_14(site):
    """Today is 14 March 2019 in Seoul; 일상경영 지원(멘토링) closes on the 18th."""
    milestone = Milestone.objects.get(
        program__name=CLOSING, program__area__plan_id=YEAR, start_month=3
    )
    milestone.label = "참여기업 공고/접수 (3.4~3.18)"
    milestone.save()  # bumps the plan's version: no page cached before this is served
    with mock.patch.object(timezone, "now", return_value=MARCH_14_IN_SEOUL):
        yield milestone.program


def statuses_today(**filters) -> dict[str, str]:
    programs = Program.objects.for_year(YEAR).filter(**filters).for_listing()
    return {
        program.name: program.application_status.status
        for program in programs
        if program.application_status
    }


def result_names(page) -> list[str]:
    return [n.strip() for n in page.locator(".results__list .result__name a").all_inner_texts()]


def test_badges_say_each_programs_status_in_words_and_axe_finds_nothing(page, march_14):
    visit(page, "/programs/")
    cards = page.locator(".result")
    texts = {
        card.locator(".result__name").inner_text().strip(): (
            " ".join(card.locator(".result__status").inner_text().split())
            if card.locator(".result__status").count()
            else ""
        )
        for card in cards.all()
    }
    expected = statuses_today()
    first_page = {name: expected.get(name) for name in texts}
    for name, text in texts.items():
        status = first_page[name]
        assert text.startswith(Status(status).label) if status else text == "", (name, text)
    assert {Status.OPEN, Status.UPCOMING, Status.CLOSED} <= set(first_page.values())
    # "D-4" is for the eye; a screen reader hears "마감까지 4일".
    assert texts[CLOSING] == "접수중 마감임박 마감 D-4 마감까지 4일"
    # Every badge carries its meaning in words, whatever its colour.
    badges = page.locator(".results__list .status").all_inner_texts()
    assert badges and set(badges) <= {"접수중", "접수 예정", "마감", "마감임박"}

    failures = axe_at_both_widths(page, "catalogue-status-badges")
    visit(page, march_14.get_absolute_url())
    header = page.locator(".program__status").inner_text()
    assert (
        re.sub(r"\s+", " ", header).strip()
        == "접수중 마감임박 마감 D-4 마감까지 4일 접수 3월 4일~18일"
    )
    failures += axe_at_both_widths(page, "detail-status-badges")
    visit(page, "/")
    board = page.locator(".board__group--open .board__item").first.inner_text()
    assert board.startswith(CLOSING), "the nearest deadline comes first"
    failures += axe_at_both_widths(page, "home-status-board")
    assert not failures, "axe-core found violations:\n" + "\n\n".join(failures)


def test_axe_finds_nothing_on_the_self_check_folded_or_unfolded(page, march_14):
    visit(page, "/check/")
    failures = axe_at_both_widths(page, "check")
    page.locator("summary", has_text="그 밖의 대상").click()
    assert page.get_by_label("기관·법인·단체", exact=True).is_visible()
    failures += axe_at_both_widths(page, "check-unfolded")
    assert not failures, "axe-core found violations:\n" + "\n\n".join(failures)


def test_the_self_check_leads_to_the_catalogue_with_exactly_the_matching_programs(
    nojs_page, march_14
):
    page = nojs_page
    visit(page, "/")
    page.get_by_role("link", name="나에게 맞는 사업 찾기(자가진단)").click()
    page.wait_for_url(re.compile(r"/check/$"))
    assert_quiet_console(page, "the self-check")
    page.get_by_label("협동조합", exact=True).check()
    page.get_by_label("사회적경제기업", exact=True).check()
    page.get_by_label("지원분야").select_option(label="사업비지원")
    page.get_by_label("지금 신청할 수 있는 것만").check()
    page.get_by_role("button", name="맞는 사업 보기").click()
    page.wait_for_url(re.compile(r"/programs/\?"))
    query = page.url.split("?", 1)[1]
    assert "eligibility=&" not in query and not query.endswith("=")
    assert_quiet_console(page, "the catalogue from the self-check")

    wanted = (
        Program.objects.for_year(YEAR)
        .filter(
            eligibility__code__in=["cooperative", "social-economy-enterprise"],
            area__name="사업비지원",
        )
        .distinct()
        .with_status([Status.OPEN], TODAY)
        .in_sheet_order()
    )
    expected = list(wanted.values_list("name", flat=True))
    assert expected, "the 2019 plan has cooperatives' grants open in March"
    assert result_names(page) == expected
    for card in page.locator(".result").all():
        matched = card.locator(".result__matched").inner_text()
        assert matched.startswith("맞는 조건:") and matched.endswith("사업비지원 분야 · 접수중")
        assert "협동조합" in matched or "사회적경제기업" in matched


def test_the_self_check_for_a_team_not_yet_founded_on_a_phone(mobile_page, march_14):
    page = mobile_page
    visit(page, "/check/")
    page.get_by_label("아직 설립 전입니다").check()
    screenshot(page, "check-answered-375")
    page.get_by_role("button", name="맞는 사업 보기").click()
    page.wait_for_url(re.compile(r"eligibility=pre-cooperative"))
    expected = (
        Program.objects.for_year(YEAR)
        .filter(eligibility__code="pre-cooperative")
        .in_sheet_order()
        .values_list("name", flat=True)
    )
    assert result_names(page) == list(expected)[:20]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "nothing on the page is wider than a phone"


def test_one_click_leaves_out_closed_programs(page, march_14):
    visit(page, "/programs/?eligibility=cooperative")
    before = set(result_names(page))
    page.get_by_role("link", name=re.compile("^마감 제외")).click()
    page.wait_for_url(re.compile(r"status=open&status=upcoming"))
    after = result_names(page)
    statuses = statuses_today(eligibility__code="cooperative")
    assert set(after) == {
        name for name in before if statuses.get(name) in (Status.OPEN, Status.UPCOMING)
    }
    assert page.locator(".results__list .status--closed").count() == 0
    assert page.locator('input[name="status"][value="open"]').is_checked()


def test_the_month_list_marks_today_and_each_applications_status(page, march_14):
    visit(page, f"/calendar/{YEAR}/3/")
    assert "오늘은 3월 14일입니다" in page.locator(".cal-today").inner_text()
    applications = page.locator(f"#kind-{Kind.APPLICATION.value} ~ .month-list .month-item")
    assert applications.count()
    for item in applications.all():
        assert item.locator(".status").first.inner_text() in ("접수중", "마감", "접수 예정")
    screenshot(page, "month-status-1280")


def test_the_calendar_shows_the_status_beside_each_name_within_its_element_budget(page, march_14):
    visit(page, "/calendar/")
    names = page.locator(".gantt__program")
    with_status = page.locator(".gantt__program .gantt__status")
    assert with_status.count() == len(statuses_today()) <= names.count()
    assert page.evaluate("document.querySelectorAll('*').length") <= 1400
    screenshot(page, "calendar-status-1280")
