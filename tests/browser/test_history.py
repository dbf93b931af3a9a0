"""Nothing lost, in a real browser: an editor corrects a budget, sees it in the
program's history, restores the earlier version, and the public page follows;
a deleted program comes back from "삭제된 사업". Screenshots of both pages at
1280 and 375 px go to screenshots/."""

import pytest

from programs.models import Program
from tests.browser.pages import ADMIN, YEAR
from tests.browser.support import (
    DESKTOP,
    MOBILE,
    SIDEWAYS_OVERFLOW,
    assert_axe_finds_nothing,
    assert_quiet_console,
    log_in_to_admin,
    screenshot,
    visit,
)

pytestmark = pytest.mark.browser

NAME = "유통채널 입점지원"


def both_sizes(page, name: str) -> None:
    """Screenshots at 1280 and 375 px, and nothing sticking out sideways at 375."""
    screenshot(page, f"{name}-1280")
    page.set_viewport_size(MOBILE)
    screenshot(page, f"{name}-375")
    sticking_out = page.evaluate(SIDEWAYS_OVERFLOW)
    page.set_viewport_size(DESKTOP)
    assert sticking_out == [], f"{name} at 375 px: {sticking_out}"


def test_an_editor_corrects_a_budget_restores_it_and_the_public_page_follows(page, editor):
    program = Program.objects.get(area__plan_id=YEAR, name=NAME)
    old_text = program.budget_text
    public = program.get_absolute_url()

    log_in_to_admin(page, editor, ADMIN)
    visit(page, f"{ADMIN}programs/program/{program.pk}/change/")
    page.locator("#id_budget_text").fill("1.5억원")
    page.locator("[name=_save]").click()
    page.wait_for_url(f"**{ADMIN}programs/program/")
    assert_quiet_console(page, "the changelist after saving")

    visit(page, public)
    assert "1억 5,000만 원" in page.locator(".facts").inner_text()
    line = page.locator("#changes .changes__lines li").first
    assert line.locator(".changes__field").inner_text() == "지원규모"
    assert line.locator(".changes__new").inner_text() == "1억 5,000만 원"

    visit(page, f"{ADMIN}programs/program/{program.pk}/change/")
    page.locator("a.historylink").click()
    page.wait_for_url(f"**/{program.pk}/history/")
    newest = page.locator(".history-entry").first
    change = newest.locator(".history-changes li").first
    assert change.locator(".history-changes__field").inner_text() == "지원규모"
    assert change.locator(".history-changes__old").inner_text() == old_text
    assert change.locator(".history-changes__new").inner_text() == "1.5억원"
    assert "editor" in newest.locator(".history-entry__who").inner_text()
    assert_axe_finds_nothing(page)
    both_sizes(page, "admin-program-history")

    page.get_by_role("link", name="이 버전으로 되돌리기…").first.click()
    assert "되돌리면 바뀌는 것" in page.locator("#content-main").inner_text()
    page.get_by_role("button", name="이 버전으로 되돌리기").click()
    page.wait_for_url(f"**/{program.pk}/history/")
    assert page.locator(".messagelist .success").count() == 1
    assert "버전으로 되돌림" in page.locator(".history-entry").first.inner_text()

    visit(page, public)
    facts = page.locator(".facts").inner_text()
    assert "1억 5,000만 원" not in facts and f"‘{old_text}’" in facts
    assert page.locator("#changes .changes__item").count() == 2  # the correction and its undoing
    assert_axe_finds_nothing(page)
    page.locator("#changes").scroll_into_view_if_needed()
    both_sizes(page, "detail-change-log")


def test_a_deleted_program_is_listed_and_comes_back_with_its_schedule(page, editor):
    program = Program.objects.get(area__plan_id=YEAR, name=NAME)
    milestones = program.milestones.count()

    log_in_to_admin(page, editor, ADMIN)
    visit(page, f"{ADMIN}programs/program/{program.pk}/delete/")
    page.locator("#content [type=submit]").click()
    page.wait_for_url(f"**{ADMIN}programs/program/")
    visit(page, program.get_absolute_url(), status=404)

    visit(page, f"{ADMIN}history/deletedprogram/")
    row = page.locator("#result_list tbody tr", has_text=NAME)
    assert row.count() == 1 and str(YEAR) in row.inner_text()
    assert_axe_finds_nothing(page)
    both_sizes(page, "admin-deleted-programs")

    row.get_by_role("link", name="되살리기…").click()
    assert f"추진일정 {milestones}개" in page.locator("#content-main").inner_text()
    page.get_by_role("button", name="되살리기").click()
    page.wait_for_url(f"**/{program.pk}/change/")
    visit(page, program.get_absolute_url())
    assert page.locator(".milestones li").count() == milestones
