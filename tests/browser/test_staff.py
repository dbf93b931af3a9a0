"""Center staff keep the plan in the admin; the public calendar shows the change
on the very next request (pages are cached, but never stale)."""

import json

import pytest

from programs.models import Program
from tests.browser.pages import ADMIN, YEAR
from tests.browser.support import assert_quiet_console, js, log_in_to_admin, visit

pytestmark = pytest.mark.browser

# Where each program row puts each cell, counting colspans: the month a milestone
# cell starts in, read from the table itself rather than from any class name.
ROW_CELLS = js("row_cells")


def a_program_with_a_free_month():
    """The first program (in sheet order) whose milestones do not overlap, so it is
    one row of the calendar, and which has a month with nothing in it."""
    for program in Program.objects.for_year(YEAR).in_sheet_order().prefetch_related("milestones"):
        milestones = sorted(program.milestones.all(), key=lambda m: m.start_month)
        covered = [month for m in milestones for month in range(m.start_month, m.end_month + 1)]
        free = sorted(set(range(1, 13)) - set(covered))
        if milestones and free and len(covered) == len(set(covered)):
            return program, milestones[0], free[-1]
    raise AssertionError("no program of the plan has a free month")


def test_an_editor_changes_a_milestone_and_the_public_calendar_shows_it(page, editor):
    program, milestone, free_month = a_program_with_a_free_month()

    log_in_to_admin(page, editor, ADMIN)
    visit(page, f"{ADMIN}programs/program/")
    page.get_by_role("link", name=program.name, exact=True).first.click()
    page.wait_for_url(f"**/{program.pk}/change/")

    label_input = page.locator(f"input[value={json.dumps(milestone.label, ensure_ascii=False)}]")
    row = page.locator("tr.form-row", has=label_input)
    row.locator("input[name$='-label']").fill("사업설명회")
    row.locator("[name$='-start_month']").fill(str(free_month))
    row.locator("[name$='-end_month']").fill(str(free_month))
    page.locator("[name=_save]").click()
    page.wait_for_url(f"**{ADMIN}programs/program/")
    assert page.locator(".messagelist .success").count() == 1, page.locator("main").inner_text()
    assert_quiet_console(page, "the changelist after saving")

    visit(page, "/calendar/")
    cells = page.evaluate(ROW_CELLS, program.name)
    assert cells is not None, f"{program.name} is not a row of the calendar"
    moved = [(cell["month"], cell["span"]) for cell in cells if "사업설명회" in cell["text"]]
    assert moved == [(f"{free_month}월", 1)], cells
    # The month it left may now be part of a longer empty stretch: the cell covering it.
    old = next(cell for cell in cells if milestone.start_month in _months(cell))
    assert milestone.label not in old["text"], cells


def _months(cell) -> range:
    """The months a cell covers; none for the program name's cell."""
    if not cell["month"]:
        return range(0)
    first = int(cell["month"].removesuffix("월"))
    return range(first, first + cell["span"])
