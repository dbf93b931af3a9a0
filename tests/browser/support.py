"""Helpers the browser tests share: visiting a page while watching its console,
axe-core with readable failures, screenshots, and the in-page measurements
(tab stops, focus styles, target sizes, overflow) that axe does not make."""

import re
import weakref
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
JS = Path(__file__).parent / "js"

# WCAG 2.0/2.1/2.2 A and AA, plus Deque's best practices (landmarks, one <h1>,
# heading order, …). axe ships `target-size` (2.5.8) disabled; it is switched on.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}
_axe = Axe()

_problems: "weakref.WeakKeyDictionary[object, list[str]]" = weakref.WeakKeyDictionary()


def watch_console(page) -> None:
    """Record script errors and console errors: a strict CSP reports what it blocks
    (an inline style or script) as a console error, which a page must not cause."""
    problems = _problems.setdefault(page, [])
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(
                f"console {message.type}: {message.text} ({message.location.get('url', '')})"
            )
            if message.type == "error"
            else None
        ),
    )


def console_problems(page) -> list[str]:
    return list(_problems.get(page, []))


def visit(page, path: str, status: int = 200):
    """Open a page, check its status, and that nothing on it broke or was blocked."""
    _problems.get(page, []).clear()
    response = page.goto(path)
    assert response is not None, f"{path}: no response"
    assert response.status == status, f"{path}: expected HTTP {status}, got {response.status}"
    assert_quiet_console(page, path, expect_status=status)
    return response


def assert_quiet_console(page, where: str, expect_status: int = 200) -> None:
    problems = console_problems(page)
    if expect_status >= 400:
        # Chromium logs the error status of the document itself; that is the point.
        problems = [
            p
            for p in problems
            if not (f"status of {expect_status} " in p and p.endswith(f"({page.url})"))
        ]
    assert not problems, f"{where}: the browser reported:\n  " + "\n  ".join(problems)


def axe_violations(page) -> list[dict]:
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def axe_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {target}\n      {summary[:300]}")
    return "\n".join(lines)


def screenshot(page, name: str) -> Path:
    """A full-page PNG in screenshots/ (gitignored), at the page's current size."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_axe_finds_nothing(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n{axe_report(violations)}"


def axe_at_both_widths(page, name: str, *, sideways: bool = False) -> list[str]:
    """Photograph the page at both widths (before judging it, so a failing page is
    photographed too) and run axe at both: layouts differ, and so can violations.
    With `sideways`, a page that scrolls sideways fails too. Back to 1280 px after."""
    failures = []
    for width, size in (("desktop", DESKTOP), ("mobile", MOBILE)):
        page.set_viewport_size(size)
        screenshot(page, f"{name}-{width}")
        if sideways and page.evaluate(PAGE_SCROLLS_SIDEWAYS):
            failures.append(f"{name} at {size['width']} px scrolls sideways")
        violations = axe_violations(page)
        if violations:
            failures.append(f"{name} ({page.url}) at {size['width']} px:\n{axe_report(violations)}")
    page.set_viewport_size(DESKTOP)
    return failures


PAGE_SCROLLS_SIDEWAYS = (
    "document.documentElement.scrollWidth > document.documentElement.clientWidth"
)


def js(name: str) -> str:
    """An in-page measurement from tests/browser/js/, for page.evaluate()."""
    return (JS / f"{name}.js").read_text(encoding="utf-8")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


# Every element a keyboard user should be able to reach, in document order, each
# stamped with an index and with its styles while unfocused (nothing is focused
# when this runs), so a later look at the focused element can be compared.
STAMP_TABBABLES = js("stamp_tabbables")

# The parts of a computed style that can draw a focus indicator.
FOCUS_STYLE = js("focus_style")

ACTIVE_ELEMENT = js("active_element")


# Pointer targets (WCAG 2.5.8; KWCAG 2.2 2.1.3 조작 가능): each visible a, button, input,
# select, textarea, summary and [role=button] with its box. Two WCAG exceptions are
# applied, and only these two:
# - Inline: "the target is in a sentence or its size is otherwise constrained by the
#   line-height of non-target text". A link counts as in a sentence when it is laid
#   out inline (display: inline) and the block it sits in has text of its own outside
#   any target, i.e. the link is part of running text, not a link alone in a cell or
#   list item (those must be made big enough).
# - Equivalent: a checkbox or radio whose <label> (clicking it does the same) is
#   measured as the union of the control and its labels.
# The skip link sits off-screen until focused; off-canvas elements are no targets.
TARGETS = js("targets")


# Elements that stick out of the viewport sideways, except inside an element that
# clips or scrolls its own overflow (the calendar's scroll region): those are
# judged by that element's own box.
SIDEWAYS_OVERFLOW = js("sideways_overflow")


def log_in_to_admin(page, account, admin_path: str) -> None:
    """Log in through the admin's own form, as staff do."""
    visit(page, admin_path + "login/?next=" + admin_path)
    page.locator("#id_username").fill(account.username)
    page.locator("#id_password").fill(account.password)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(f"**{admin_path}")
    assert_quiet_console(page, "the admin after logging in")
