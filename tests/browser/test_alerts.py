"""E-mail alerts in a real browser: a citizen on a phone subscribes from a
filtered catalogue, sees what went wrong when the consent box is left empty,
and every alert page passes axe at both widths (photographed as it goes)."""

import re

import pytest

from alerts.models import Subscription
from tests.browser.support import (
    assert_quiet_console,
    axe_at_both_widths,
    console_problems,
    screenshot,
    visit,
)

pytestmark = pytest.mark.browser

FILTERED = "/programs/?area=%EB%AF%BC%EA%B0%84%ED%8C%90%EB%A1%9C+%EC%A7%80%EC%9B%90&status=closed"


def confirm_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/alerts/confirm/\S+/)", message.body)[1]


def assert_quiet_but_for_the_refused_form(page, where: str) -> None:
    """A form sent back with errors answers 400, which Chromium logs; nothing else may be."""
    problems = [
        problem
        for problem in console_problems(page)
        if not ("status of 400 " in problem and "/alerts/?" in problem)
    ]
    assert not problems, f"{where}: the browser reported:\n  " + "\n  ".join(problems)


def open_alert_form(page):
    """From the filtered catalogue: its e-mail link when the catalogue has one."""
    visit(page, FILTERED)
    link = page.locator("main a[href^='/alerts/']")
    if link.count():
        link.first.click()
        page.wait_for_url(re.compile(r"/alerts/\?"))
    else:
        visit(page, "/alerts/?" + FILTERED.split("?", 1)[1])
    assert_quiet_console(page, "the alert form")


def test_a_citizen_on_a_phone_subscribes_from_a_filtered_catalogue(mobile_page, mailoutbox):
    page = mobile_page
    open_alert_form(page)
    assert "지원분야: 민간판로 지원" in page.locator("main").inner_text()
    assert "접수 상태: 마감" in page.locator("main").inner_text()

    # Forgetting the consent box: the summary says so and leads to the box.
    page.get_by_label("이메일 주소").fill("citizen@example.kr")
    page.get_by_role("button", name="확인 메일 받기").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert").filter(has_text="입력한 내용을 확인해 주세요")
    assert summary.is_visible()
    screenshot(page, "alerts-form-error-mobile")
    summary.get_by_role("link", name=re.compile("개인정보 수집·이용 동의")).click()
    assert page.evaluate("document.activeElement.id") == "id_consent"
    assert page.get_by_label("이메일 주소").input_value() == "citizen@example.kr"
    assert not Subscription.objects.exists()

    page.get_by_label("위 내용을 읽었으며 개인정보 수집·이용에 동의합니다.").check()
    page.get_by_role("button", name="확인 메일 받기").click()
    page.wait_for_url("**/alerts/sent/")
    assert_quiet_but_for_the_refused_form(page, "the page after subscribing")
    assert page.get_by_role("heading", level=1).inner_text() == "확인 메일을 보냈습니다"
    screenshot(page, "alerts-sent-mobile")
    [message] = mailoutbox
    assert message.to == ["citizen@example.kr"]
    assert Subscription.objects.get().confirmed_at is None

    visit(page, confirm_path(message))
    page.get_by_role("button", name="알림 받기").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "알림 신청이 끝났습니다"
    assert Subscription.objects.get().confirmed_at is not None


def test_axe_finds_nothing_on_any_alert_page(page, mailoutbox):
    failures = []
    visit(page, "/alerts/?" + FILTERED.split("?", 1)[1])
    failures += axe_at_both_widths(page, "alerts-form", sideways=True)
    page.get_by_label("이메일 주소").fill("홍길동 <not an address>")
    page.get_by_role("button", name="확인 메일 받기").click()
    page.wait_for_load_state()
    failures += axe_at_both_widths(page, "alerts-form-errors", sideways=True)
    visit(page, "/alerts/?month=13")
    failures += axe_at_both_widths(page, "alerts-form-bad-filter", sideways=True)

    page.get_by_label("이메일 주소").fill("citizen@example.kr")
    visit(page, "/alerts/?" + FILTERED.split("?", 1)[1])
    page.get_by_label("이메일 주소").fill("citizen@example.kr")
    page.get_by_label("위 내용을 읽었으며 개인정보 수집·이용에 동의합니다.").check()
    page.get_by_role("button", name="확인 메일 받기").click()
    page.wait_for_url("**/alerts/sent/")
    failures += axe_at_both_widths(page, "alerts-sent", sideways=True)

    link = confirm_path(mailoutbox[0])
    visit(page, link)
    failures += axe_at_both_widths(page, "alerts-confirm", sideways=True)
    page.get_by_role("button", name="알림 받기").click()
    page.wait_for_load_state()
    failures += axe_at_both_widths(page, "alerts-confirmed", sideways=True)

    token = Subscription.objects.get().token
    visit(page, f"/alerts/unsubscribe/{token}/")
    failures += axe_at_both_widths(page, "alerts-unsubscribe", sideways=True)
    page.get_by_role("button", name="구독 해지").click()
    page.wait_for_load_state()
    failures += axe_at_both_widths(page, "alerts-unsubscribed", sideways=True)
    assert not Subscription.objects.exists()

    visit(page, link[:-3] + "xx/", status=400)
    failures += axe_at_both_widths(page, "alerts-link-problem", sideways=True)
    assert not failures, "\n\n".join(failures)
