"""What citizens do on the portal, each journey a test, in a real browser.

Results are checked against the database's own answer to the same question, so a
journey fails if the page shows the wrong programs, not only if it shows none."""

import re

import pytest

from programs.models import Program
from schedules.kinds import Kind
from tests.browser.pages import PUBLIC_PAGES, YEAR, expected_status, public_path
from tests.browser.support import SIDEWAYS_OVERFLOW, assert_quiet_console, js, screenshot, visit

pytestmark = pytest.mark.browser


def plan_programs():
    return Program.objects.for_year(YEAR)


def result_names(page) -> list[str]:
    results = page.get_by_role("region", name="검색 결과")
    return [name.strip() for name in results.locator("h3 a").all_inner_texts()]


def result_count(page) -> str:
    return page.get_by_role("status").inner_text()


def test_a_preliminary_cooperative_finds_programs_open_in_april_and_opens_one(page):
    pre_cooperative = plan_programs().filter(eligibility__code="pre-cooperative")
    on_in_april = set(pre_cooperative.with_milestone_in_month(4).values_list("name", flat=True))
    # In the 2019 plan no program for 예비협동조합 takes applications in April (they
    # open in Jan-Mar and June; rolling ones run all year): the exact question has no
    # answer, and the page must say which condition to drop.
    assert not pre_cooperative.with_milestone_in_month(4, Kind.APPLICATION).exists()
    assert on_in_april

    visit(page, "/programs/")
    page.locator("summary", has_text="지원대상").click()
    page.get_by_label("예비협동조합", exact=True).check()
    page.get_by_label("월", exact=True).select_option(label="4월")
    page.get_by_label("일정 종류").select_option(label=Kind.APPLICATION.label)
    page.get_by_role("button", name="조건 적용").click()
    page.wait_for_url(re.compile(r"kind=application"))
    assert_quiet_console(page, "the catalogue with no results")
    assert result_names(page) == []
    assert "0개" in result_count(page)

    # The empty state offers to drop the kind; it says how many programs that gives.
    drop_kind = re.compile(re.escape(Kind.APPLICATION.label) + r".*빼.*\d+개")
    relax = page.get_by_role("link", name=drop_kind)
    assert f"{len(on_in_april)}개" in relax.inner_text()
    relax.click()
    page.wait_for_url(lambda url: "kind=" not in url)
    assert f"{len(on_in_april)}개" in result_count(page)
    assert set(result_names(page)) == on_in_april
    chips = page.locator(".chip").all_inner_texts()
    assert any("예비협동조합" in chip for chip in chips), chips
    assert any("4월" in chip for chip in chips), chips

    first = result_names(page)[0]
    page.get_by_role("region", name="검색 결과").get_by_role("link", name=first).click()
    page.wait_for_load_state()
    assert_quiet_console(page, "the detail page")
    assert page.get_by_role("heading", level=1).inner_text().strip() == first
    program = plan_programs().get(name=first)
    assert page.url.endswith(program.get_absolute_url())
    assert "예비" in page.locator("main").inner_text()


def test_a_search_for_village_enterprises_shows_a_chip_and_clearing_it_keeps_the_rest(page):
    found = set(plan_programs().search("마을기업").values_list("name", flat=True))
    in_may = set(plan_programs().with_milestone_in_month(5).values_list("name", flat=True))
    assert found & in_may and in_may - found, "the plan can tell the two filters apart"

    visit(page, "/programs/")
    page.get_by_label("검색어").fill("마을기업")
    page.get_by_label("월", exact=True).select_option(label="5월")
    page.get_by_role("button", name="조건 적용").click()
    page.wait_for_url(re.compile(r"q="))
    assert set(result_names(page)) == found & in_may

    chip = page.locator(".chip", has_text="마을기업")
    assert chip.count() == 1
    chip.click()
    page.wait_for_url(lambda url: "q=" not in url)
    assert page.get_by_label("검색어").input_value() == ""
    assert page.get_by_label("월", exact=True).input_value() == "5", "the other filter stays"
    assert f"{len(in_may)}개" in result_count(page)
    if len(in_may) <= 20:
        assert set(result_names(page)) == in_may


SCROLL_REGION = js("scroll_region")
FOCUSED_SCROLL_LEFT = js("focused_scroll_left")


def test_the_calendar_scrolls_by_keyboard_on_a_phone_and_jumps_to_a_month(mobile_page):
    page = mobile_page
    visit(page, "/calendar/")
    rows = page.locator("main table tbody tr th[scope=row]")
    assert rows.count() >= plan_programs().count()

    region = page.evaluate(SCROLL_REGION)
    assert region, "at 375 px the calendar sits in its own horizontal scroll region"
    assert region["scrollWidth"] > region["clientWidth"], region
    assert region["tabIndex"] == 0, "the scroll region takes keyboard focus"
    assert region["name"].strip(), "the scroll region is labelled"

    # Reach the region with Tab, as a keyboard user does, then scroll it with →.
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_SCROLL_LEFT) is not None:
            break
    before = page.evaluate(FOCUSED_SCROLL_LEFT)
    assert before is not None, "Tab reaches the scroll region"
    page.keyboard.press("ArrowRight")
    # Chromium scrolls smoothly: wait for the region to move.
    page.wait_for_function(
        "(before) => document.activeElement.scrollLeft > before", arg=before, timeout=3000
    )
    assert page.evaluate("document.documentElement.scrollLeft") == 0
    screenshot(page, "journey-calendar-scrolled-mobile")

    april = page.locator("main table thead").get_by_role("link", name=re.compile(r"^\s*4월"))
    april.click()
    page.wait_for_url(f"**/calendar/{YEAR}/4/")
    assert "4월" in page.get_by_role("heading", level=1).inner_text()


def test_subscribing_to_the_calendar_gets_an_icalendar_feed(page):
    visit(page, "/calendar/")
    link = page.locator("main a[href*='.ics']").first
    href = link.get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text()
    assert body.startswith("BEGIN:VCALENDAR")
    assert body.count("BEGIN:VEVENT") >= plan_programs().count()

    program = plan_programs().filter(milestones__isnull=False).first()
    visit(page, program.get_absolute_url())
    href = page.locator("main a[href*='.ics']").first.get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in response.text()


def test_the_whole_site_works_without_javascript(nojs_page):
    page = nojs_page
    total = plan_programs().count()

    # The home page's search box is a plain GET form into the catalogue.
    visit(page, "/")
    page.get_by_label("사업 찾기").fill("마을기업")
    page.get_by_role("button", name="찾기", exact=True).click()
    page.wait_for_url(re.compile(r"/programs/\?q="))
    assert set(result_names(page)) == set(
        plan_programs().search("마을기업").values_list("name", flat=True)
    )

    # Filters: native controls, <details> that open without script, applied on submit.
    visit(page, "/programs/")
    assert f"{total}개" in result_count(page)
    page.locator("summary", has_text="지원대상").click()
    page.get_by_label("협동조합", exact=True).check()
    page.get_by_label("월", exact=True).select_option(label="4월")
    page.get_by_role("button", name="조건 적용").click()
    page.wait_for_url(re.compile(r"eligibility=cooperative"))
    expected = set(
        plan_programs()
        .filter(eligibility__code="cooperative")
        .with_milestone_in_month(4)
        .values_list("name", flat=True)
    )
    assert f"{len(expected)}개" in result_count(page)

    # Pagination keeps going, page by page.
    visit(page, "/programs/")
    first_page = result_names(page)
    page.get_by_role("navigation", name="쪽 이동").get_by_role("link", name="다음").click()
    page.wait_for_url(re.compile(r"page=2"))
    second_page = result_names(page)
    assert second_page and not set(first_page) & set(second_page)

    # The calendar, its filters and the month view.
    visit(page, "/calendar/")
    assert page.locator("main table tbody th[scope=row]").count() >= total
    page.locator("summary", has_text="조건").first.click()
    filters = page.locator("main form")
    filters.get_by_label("월", exact=True).select_option(label="4월")
    filters.get_by_label("일정 종류").select_option(label=Kind.APPLICATION.label)
    filters.get_by_role("button", name="조건 적용").click()
    page.wait_for_url(re.compile(r"kind=application"))
    open_in_april = plan_programs().with_milestone_in_month(4, Kind.APPLICATION).count()
    assert page.locator("main table tbody th[scope=row]").count() == open_in_april

    visit(page, f"/calendar/{YEAR}/4/")
    page.get_by_role("link", name=re.compile(r"5월")).first.click()
    page.wait_for_url(f"**/calendar/{YEAR}/5/")


HORIZONTAL_SCROLLERS = js("horizontal_scrollers")


def test_at_375px_no_page_scrolls_sideways_only_the_calendar_region_does(mobile_page):
    page = mobile_page
    for name in PUBLIC_PAGES:
        path = public_path(name)
        visit(page, path, status=expected_status(name))
        widths = page.evaluate(
            "({scroll: document.documentElement.scrollWidth, client: "
            "document.documentElement.clientWidth, inner: innerWidth})"
        )
        assert widths["client"] == 375, widths
        assert widths["scroll"] <= widths["client"], f"{path} scrolls sideways: {widths}"
        overflowing = page.evaluate(SIDEWAYS_OVERFLOW)
        assert not overflowing, f"{path}: cut off at the right edge: {overflowing}"
        scrollers = page.evaluate(HORIZONTAL_SCROLLERS)
        for scroller in scrollers:
            # Whatever scrolls on its own must be reachable and named (WCAG 2.1.1).
            assert scroller["tabIndex"] == 0 and scroller["named"], f"{path}: {scroller}"
        if name == "calendar":
            assert [s["holdsCalendar"] for s in scrollers] == [True], scrollers
