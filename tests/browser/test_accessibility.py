"""KWCAG 2.2 and WCAG 2.2 AA in a real browser.

axe-core checks what a machine can on every page type, at desktop and phone widths
(and each is photographed into screenshots/ as it goes). The rest is measured here
directly: every control reachable by Tab with a visible focus indicator, the skip
link, pointer targets of at least 24×24 CSS px on a phone, the page language,
table captions that describe the table, and no change of context on input.

Each test walks every page type and reports every page that fails, not just the
first: loading the plan costs a second per test, a walk costs it once."""

import re

import pytest

from tests.browser.pages import (
    ADMIN,
    PUBLIC_PAGES,
    YEAR,
    expected_status,
    public_path,
    richest_program,
)
from tests.browser.support import (
    ACTIVE_ELEMENT,
    FOCUS_STYLE,
    STAMP_TABBABLES,
    TARGETS,
    axe_at_both_widths,
    compact,
    js,
    log_in_to_admin,
    visit,
)

pytestmark = pytest.mark.browser


def test_axe_finds_no_violation_on_any_public_page(page):
    failures = []
    for name in PUBLIC_PAGES:
        visit(page, public_path(name), status=expected_status(name))
        failures += axe_at_both_widths(page, name)
    assert not failures, "axe-core found violations:\n" + "\n\n".join(failures)


def test_axe_finds_no_violation_on_the_admin_login_and_program_pages(page, editor):
    visit(page, f"{ADMIN}login/")
    failures = axe_at_both_widths(page, "admin-login")
    log_in_to_admin(page, editor, ADMIN)
    visit(page, f"{ADMIN}programs/program/")
    failures += axe_at_both_widths(page, "admin-changelist")
    visit(page, f"{ADMIN}programs/program/{richest_program().pk}/change/")
    failures += axe_at_both_widths(page, "admin-change-form")
    assert not failures, "axe-core found violations:\n" + "\n\n".join(failures)


# --- Keyboard -------------------------------------------------------------------------


def has_focus_indicator(focused: dict, unfocused: dict | None) -> bool:
    """An outline or a box-shadow that the element shows only when focused."""
    if unfocused is None:
        return focused["outline"] != "none" or focused["boxShadow"] != "none"
    return (focused["outline"] != "none" and focused["outline"] != unfocused["outline"]) or (
        focused["boxShadow"] != "none" and focused["boxShadow"] != unfocused["boxShadow"]
    )


def tab_through(page) -> tuple[list[dict], list[dict]]:
    """Press Tab from the top of the page until focus leaves the document or comes
    round again; return every element that should be reachable, and the stops."""
    page.evaluate(FOCUS_STYLE)
    tabbables = page.evaluate(STAMP_TABBABLES)
    stops: list[dict] = []
    for _ in range(len(tabbables) + 10):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE_ELEMENT)
        if active is None or (stops and active["probe"] == stops[0]["probe"]):
            break
        stops.append(active)
    return tabbables, stops


def keyboard_problems(page, path: str) -> list[str]:
    url = page.url
    tabbables, stops = tab_through(page)
    problems = []
    reached = {stop["probe"] for stop in stops}
    for missed in (t for t in tabbables if str(t["i"]) not in reached):
        problems.append(f"{path}: Tab never reaches <{missed['tag']}> {missed['text']!r}")
    unfocused = {str(t["i"]): t["unfocused"] for t in tabbables}
    for stop in stops:
        where = f"{path}: <{stop['tag']}> {stop['text']!r}"
        if not has_focus_indicator(stop["focused"], unfocused.get(stop["probe"])):
            problems.append(f"{where} shows no focus indicator: {stop['focused']}")
        if not stop["onScreen"]:
            problems.append(f"{where} is focused but not on screen")
    # KWCAG 3.2.1 (WCAG 3.2.1 On Focus): moving focus alone never changes the page.
    if page.url != url:
        problems.append(f"{path}: tabbing through the page navigated to {page.url}")
    return problems


def test_every_control_is_reachable_by_tab_with_a_visible_focus_indicator(page):
    problems = []
    for name in PUBLIC_PAGES:
        path = public_path(name)
        visit(page, path, status=expected_status(name))
        problems += keyboard_problems(page, path)
    assert not problems, "\n".join(problems)


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    for name in PUBLIC_PAGES:
        path = public_path(name)
        visit(page, path, status=expected_status(name))
        page.evaluate(FOCUS_STYLE)
        page.keyboard.press("Tab")
        first = page.evaluate(ACTIVE_ELEMENT)
        assert first is not None and first["tag"] == "a", f"{path}: first Tab stop {first}"
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#main", path
        assert first["onScreen"], f"{path}: the skip link stays off-screen when focused"
        assert has_focus_indicator(first["focused"], None), path
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main", path
        assert page.evaluate("document.activeElement.localName") == "main", path
        # The next Tab goes on inside the main content, not back to the header.
        page.keyboard.press("Tab")
        inside = page.evaluate("document.querySelector('main').contains(document.activeElement)")
        assert inside, f"{path}: Tab after the skip link left <main>"


# --- KWCAG 2.2 items axe does not check ------------------------------------------------


def test_pointer_targets_are_at_least_24px_square_on_a_phone(mobile_page):
    small = []
    for name in PUBLIC_PAGES:
        path = public_path(name)
        visit(mobile_page, path, status=expected_status(name))
        small += [
            f"  {path}: {t['selector']} {t['text']!r} {t['width']}×{t['height']}"
            for t in mobile_page.evaluate(TARGETS)
        ]
    assert not small, "targets smaller than 24×24 CSS px at 375 px:\n" + "\n".join(small)


def test_every_page_says_it_is_in_korean(page, editor):
    for name in PUBLIC_PAGES:
        visit(page, public_path(name), status=expected_status(name))
        assert page.evaluate("document.documentElement.lang") == "ko", name
    log_in_to_admin(page, editor, ADMIN)
    visit(page, f"{ADMIN}programs/program/")
    assert page.evaluate("document.documentElement.lang") == "ko", "admin"


TABLES = js("tables")


def caption_names_columns(caption: str, headers: list[str]) -> bool:
    """The caption names the first and the last column ("사업명, 1월~12월" names 사업명
    and 12월); a run of month columns may be written as a range ("1~12월")."""
    caption = compact(caption)
    first, last = compact(headers[0]), compact(headers[-1])
    if first in caption and last in caption:
        return True
    months = [re.fullmatch(r"(\d+)월", compact(h)) for h in headers]
    if all(months):
        a, b = months[0][1], months[-1][1]
        return re.search(rf"{a}월?[~∼–-]{b}월", caption) is not None
    return False


def test_every_table_has_a_caption_that_describes_its_structure(page):
    visit(page, "/calendar/")
    calendar = page.evaluate(TABLES)
    assert calendar, "the calendar is not a <table>"
    caption = compact(calendar[0]["caption"])
    # "2019년 지원사업 추진일정: 사업명, 1월~12월": what it is, its rows, its columns.
    assert str(YEAR) in caption and "사업명" in caption, caption
    assert caption_names_columns(caption, calendar[0]["headers"]), calendar[0]

    problems = []
    for name in PUBLIC_PAGES:
        path = public_path(name)
        visit(page, path, status=expected_status(name))
        for table in page.evaluate(TABLES):
            if not compact(table["caption"]):
                problems.append(f"{path}: a table without a caption {table['headers']}")
            elif table["headers"] and not caption_names_columns(table["caption"], table["headers"]):
                problems.append(
                    f"{path}: caption {table['caption']!r} does not name the columns "
                    f"{table['headers']}"
                )
            if table["thWithoutScope"]:
                problems.append(f"{path}: header cells without scope {table['thWithoutScope']}")
    assert not problems, "\n".join(problems)


def change_every_control(page, form) -> None:
    """Use every filter control as a person would: open the folded groups, pick
    another option, tick a box, type and move on."""
    closed = page.locator("main details:not([open]) > summary").filter(visible=True)
    while closed.count():
        closed.first.click()
    for select in form.locator("select").all():
        values = select.locator("option").evaluate_all("(os) => os.map((o) => o.value)")
        current = select.input_value()
        other = next((v for v in reversed(values) if v != current), None)
        if other is not None:
            select.select_option(other)
    for box in form.locator("input[type=checkbox], input[type=radio]").all():
        if box.is_visible():
            box.check()
    for field in form.locator("input[type=search], input[type=text], input[type=number]").all():
        if field.is_visible():
            field.fill("3" if field.get_attribute("type") == "number" else "협동조합")
            field.press("Tab")


def test_changing_a_filter_changes_nothing_until_the_form_is_submitted(page):
    """KWCAG 3.2.1 / WCAG 3.2.2 On Input: filters apply when submitted, never on change."""
    navigations = []
    page.on(
        "framenavigated",
        lambda frame: navigations.append(frame.url) if frame == page.main_frame else None,
    )
    for path in ("/programs/", "/calendar/"):
        visit(page, path)
        navigations.clear()
        form = page.locator("main form[method=get], main form:not([method])").first
        change_every_control(page, form)
        page.wait_for_timeout(300)
        assert navigations == [], f"{path}: the page changed on input: {navigations}"
        with page.expect_navigation():
            form.locator("[type=submit]").first.click()
        assert "?" in page.url, f"{path}: submitting the filters did not apply them"
