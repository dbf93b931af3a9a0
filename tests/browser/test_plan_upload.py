"""The yearly plan's cycle as center staff walk it in a real browser: upload an
edited sheet, read the preview (nothing written yet), confirm, see the public
page change; and a draft year, unseen by the public until it is published."""

import io

import openpyxl
import pytest
from django.core.management import call_command

from programs.models import Plan, Program
from tests.browser.pages import ADMIN
from tests.browser.support import (
    DESKTOP,
    MOBILE,
    assert_quiet_console,
    axe_report,
    axe_violations,
    log_in_to_admin,
    screenshot,
    visit,
)
from tests.support.paths import PLAN_2019_XLSX

pytestmark = pytest.mark.browser

CHANGED = "유통채널 입점지원"  # 1.24억원 in the sheet, raised to 1.5억원
DROPPED = "롯데홈쇼핑 입점판매지원"  # row 11, emptied


@pytest.fixture(autouse=True)
def kept_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def edited_sheet(tmp_path):
    """The shipped 2019 sheet as staff would edit it in Excel: one budget raised
    and one program's row emptied."""
    workbook = openpyxl.load_workbook(PLAN_2019_XLSX)
    sheet = workbook.active
    assert sheet["B10"].value == CHANGED and sheet["P10"].value == "1.24억원"
    assert sheet["B11"].value == DROPPED
    sheet["P10"] = "1.5억원"
    for column in range(2, 19):
        sheet.cell(11, column).value = None
    path = tmp_path / "2019 추진일정 수정.xlsx"
    workbook.save(path)
    return path


def at_both_widths(page, name: str) -> list[str]:
    """Screenshots at 1280 and 375 px, and what axe finds at each."""
    failures = []
    for width, size in (("desktop", DESKTOP), ("mobile", MOBILE)):
        page.set_viewport_size(size)
        screenshot(page, f"{name}-{width}")
        violations = axe_violations(page)
        if violations:
            failures.append(f"{name} at {size['width']} px:\n{axe_report(violations)}")
    page.set_viewport_size(DESKTOP)
    return failures


LINES_OF_NAMES = """() => [...document.querySelectorAll('#result_list .field-name a')]
  .map(link => [link.textContent.trim(), link.getClientRects().length])"""
TABLE_FITS = """() => { const box = document.querySelector('#changelist .results');
  return box.scrollWidth <= box.clientWidth; }"""


def assert_the_program_list_reads_at_both_widths(page):
    """At 1280 px every name of 16 or more letters takes two lines at most and the
    side offers the filters staff sort by; at 375 px the table fits the screen,
    the amounts being on each program's own page."""
    filters = page.locator("#changelist-filter").inner_text()
    for title in ("사업연도", "공개 상태", "구분", "지원분야"):
        assert title in filters, filters
    assert "(으)로" not in filters
    long_names = [(n, lines) for n, lines in page.evaluate(LINES_OF_NAMES) if len(n) >= 16]
    assert long_names and all(lines <= 2 for _, lines in long_names), long_names
    page.set_viewport_size(MOBILE)
    assert page.evaluate(TABLE_FITS)
    assert not page.locator("#result_list .field-budget_text").first.is_visible()
    page.set_viewport_size(DESKTOP)


def test_an_editor_uploads_an_edited_sheet_previews_it_and_confirms(page, editor, tmp_path):
    changed = Program.objects.get(name=CHANGED)
    log_in_to_admin(page, editor, ADMIN)
    page.get_by_role("link", name="연간 계획 엑셀 올리기").first.click()
    page.wait_for_url(f"**{ADMIN}programs/plan/import/")
    failures = at_both_widths(page, "admin-plan-upload")

    visit(page, f"{ADMIN}programs/plan/import/")  # afresh, after axe's own scripts
    page.set_input_files("#id_file", str(edited_sheet(tmp_path)))
    page.get_by_role("button", name="미리보기").click()
    page.wait_for_selector(".plan-preview")
    assert_quiet_console(page, "the preview")
    entry = page.locator(".plan-entry--updated", has_text=CHANGED)
    assert entry.locator(".plan-change__old").first.inner_text() == "1억 2,400만 원"
    assert entry.locator(".plan-change__new").first.inner_text() == "1억 5,000만 원"
    assert page.locator(".plan-entry--missing", has_text=DROPPED).count() == 1
    assert page.get_by_label("그대로 둡니다 (기본)").is_checked()
    failures += at_both_widths(page, "admin-plan-preview")

    # The preview wrote nothing.
    changed.refresh_from_db()
    assert changed.budget_text == "1.24억원"
    assert Program.objects.filter(name=DROPPED).exists()

    page.get_by_role("button", name="반영하기").click()
    page.wait_for_url(f"**{ADMIN}programs/plan/")
    message = page.locator(".messagelist .success").inner_text()
    assert "2019년 계획에 반영했습니다(공개 중): 추가 0, 변경 1" in message, message
    assert Program.objects.filter(name=DROPPED).exists()  # kept, as chosen

    visit(page, f"{ADMIN}programs/program/")
    failures += at_both_widths(page, "admin-program-list")
    assert_the_program_list_reads_at_both_widths(page)

    visit(page, changed.get_absolute_url())
    assert "1억 5,000만 원" in page.locator("main").inner_text()
    assert not failures, "axe-core found violations:\n" + "\n\n".join(failures)


def test_a_draft_year_is_hidden_from_the_public_until_an_editor_publishes_it(
    browser, page, editor, site
):
    call_command("rollover_plan", "2019", "--to", "2020", stdout=io.StringIO())
    draft = Program.objects.for_year(2020).get(name=CHANGED)

    public = browser.new_context(locale="ko-KR", base_url=site.url)
    visitor = public.new_page()
    visit(visitor, draft.get_absolute_url(), status=404)
    visit(visitor, "/programs/?year=2020")
    assert CHANGED in visitor.locator("main").inner_text()  # 2019's, shown instead
    assert "‘2020’년 계획은 없습니다" in visitor.locator("main").inner_text()

    log_in_to_admin(page, editor, ADMIN)
    visit(page, draft.get_absolute_url())
    banner = page.locator(".draft-banner")
    assert "미공개 초안" in banner.inner_text() and "2020년 계획" in banner.inner_text()
    screenshot(page, "draft-program-staff-desktop")

    # Staff looked at it; the public still gets the 404, never a cached copy.
    visit(visitor, draft.get_absolute_url(), status=404)

    visit(page, f"{ADMIN}programs/plan/")
    page.locator("input[name=_selected_action][value='2020']").check()
    page.locator("select[name=action]").select_option("publish_plans")
    page.locator("button[name=index]").click()
    assert "아래 연도를 공개합니다" in page.locator("main").inner_text()
    page.get_by_role("button", name="공개하기").click()
    page.wait_for_url(f"**{ADMIN}programs/plan/")
    assert "2020년 계획을 공개했습니다." in page.locator(".messagelist").inner_text()
    assert Plan.objects.get(year=2020).is_published

    visit(visitor, draft.get_absolute_url())
    assert visitor.locator(".draft-banner").count() == 0
    public.close()
