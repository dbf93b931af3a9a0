"""The subscribe page, the confirmation link and unsubscribing, as a citizen
and a mail provider meet them."""

import re
import time
from unittest import mock

import pytest
from django.test import Client

from alerts.models import Subscription
from alerts.tokens import confirmation_token
from tests.alerts.conftest import html_part, link_in, text_part, unsubscribe_path
from tests.alerts.helpers import AREA, alerts_url, subscribe

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def error_summary(response) -> list[tuple[str, str]]:
    html = response.content.decode()
    box = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert box, "no error summary on the page"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', box.group(0))


# --- the page --------------------------------------------------------------------


def test_the_page_says_in_words_which_filter_it_will_follow_and_asks_for_consent(client, plan_2019):
    response = client.get(alerts_url(area=AREA, eligibility="social-economy-enterprise"))
    assert response.status_code == 200
    text = page_text(response)
    assert f"지원분야: {AREA}" in text
    assert "지원대상: 사회적경제기업" in text
    assert re.search(r"지금 이 조건에 맞는 사업은 \d+개", text)
    for term in ("수집 항목", "수집·이용 목적", "보유·이용 기간", "7일 뒤 삭제"):
        assert term in text
    assert "동의를 거부할 수 있으며, 거부하면 알림을 받을 수 없습니다" in text
    checkbox = re.search(r'<input type="checkbox" name="consent"[^>]*>', response.content.decode())
    assert checkbox and "checked" not in checkbox.group(0)


def test_the_page_is_never_page_cached_because_it_carries_a_csrf_token(client, plan_2019):
    first = client.get(alerts_url(area=AREA))
    second = client.get(alerts_url(area=AREA))
    assert "csrfmiddlewaretoken" in second.content.decode()
    assert "ETag" not in first and "ETag" not in second


def test_an_unusable_parameter_is_named_and_subscribing_with_it_stores_nothing(
    client, plan_2019, smtp
):
    page = client.get(alerts_url(area=AREA, month="13"))
    assert "월(month): ‘13’" in page_text(page)
    assert "쓸 수 있는 조건만으로 신청하기" in page_text(page)

    response = subscribe(client, "name@example.kr", area=AREA, month="13")
    assert response.status_code == 400
    assert [anchor for anchor, _ in error_summary(response)] == ["alert-filter"]
    assert not Subscription.objects.exists()
    assert smtp.take() == []


# --- asking ---------------------------------------------------------------------------


def test_a_request_stores_a_pending_subscription_and_mails_a_signed_link(client, plan_2019, smtp):
    response = subscribe(client, "Name@Example.kr", area=AREA, status="open", sort="name")
    assert response.status_code == 302
    assert response["Location"] == "/alerts/sent/"
    sent_page = client.get(response["Location"])
    assert "확인 메일을 보냈습니다" in page_text(sent_page)

    subscription = Subscription.objects.get()
    assert subscription.email == "name@example.kr"
    assert (
        subscription.query
        == "area=%EB%AF%BC%EA%B0%84%ED%8C%90%EB%A1%9C+%EC%A7%80%EC%9B%90&status=open"
    )
    assert subscription.confirmed_at is None

    [message] = smtp.take()
    assert message["To"] == "name@example.kr"
    assert "확인해 주세요" in message["Subject"]
    assert message.is_multipart()
    assert f"지원분야: {AREA}" in text_part(message)
    assert "알림 신청 확인하기" in html_part(message)
    confirm = link_in(message, "/alerts/confirm/")
    assert link_in(message, "/alerts/confirm/").startswith("/alerts/confirm/")
    assert confirm in html_part(message)
    assert unsubscribe_path(message) == f"/alerts/unsubscribe/{subscription.token}/"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_without_the_consent_tick_nothing_is_stored_or_sent(client, plan_2019, smtp):
    response = subscribe(client, "name@example.kr", consent=False, area=AREA)
    assert response.status_code == 400
    assert error_summary(response) == [
        (
            "id_consent",
            "개인정보 수집·이용 동의: 개인정보 수집·이용에 동의해야 알림을 받을 수 있습니다. "
            "동의란에 표시해 주세요.",
        )
    ]
    assert 'aria-invalid="true"' in response.content.decode()
    assert 'value="name@example.kr"' in response.content.decode()
    assert not Subscription.objects.exists()
    assert smtp.take() == []


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("not-an-address", "‘@’가 하나"),
        ("홍길동 <name@example.kr>", "주소 하나만"),
        ("name@example.kr\r\nBcc: everyone@example.kr", "줄바꿈"),
        ("", "이메일 주소를 입력해 주세요"),
    ],
)
def test_a_bad_address_is_refused_with_the_reason_and_nothing_is_stored(
    client, plan_2019, smtp, address, reason
):
    response = subscribe(client, address, area=AREA)
    assert response.status_code == 400
    [(anchor, message)] = error_summary(response)
    assert anchor == "id_email"
    assert message.startswith("이메일 주소: ") and reason in message
    assert not Subscription.objects.exists()
    assert smtp.take() == []


def test_an_address_already_following_the_filter_gets_the_same_answer_and_no_second_row(
    client, plan_2019, smtp
):
    first = subscribe(client, "name@example.kr", area=AREA)
    Subscription.objects.update(confirmed_at="2026-01-01T00:00:00Z")
    smtp.take()

    again = subscribe(client, "NAME@example.kr", area=AREA)
    assert (again.status_code, again["Location"]) == (first.status_code, first["Location"])
    assert Subscription.objects.count() == 1
    [message] = smtp.take()
    assert "이미" in message["Subject"]
    assert "/alerts/confirm/" not in text_part(message)
    assert message["List-Unsubscribe"]


def test_asking_again_before_confirming_sends_a_fresh_link_for_the_same_row(
    client, plan_2019, smtp
):
    subscribe(client, "name@example.kr", area=AREA)
    subscribe(client, "name@example.kr", area=AREA)
    assert Subscription.objects.count() == 1
    assert [m["Subject"].strip() for m in smtp.take()] == [
        "[서울 사회적경제 지원사업] 알림 신청을 확인해 주세요"
    ] * 2


def test_one_address_may_ask_three_times_a_day_then_gets_429_and_nothing_is_stored(
    client, plan_2019, smtp
):
    months = ["2", "3", "4", "5"]
    answers = [
        subscribe(client, "name@example.kr", ip=f"203.0.113.{n}", month=m)
        for n, m in enumerate(months)
    ]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert "하루에 세 번까지" in page_text(answers[-1])
    assert int(answers[-1]["Retry-After"]) == 24 * 60 * 60
    assert sorted(Subscription.objects.values_list("query", flat=True)) == [
        "month=2",
        "month=3",
        "month=4",
    ]
    assert len(smtp.take()) == 3


def test_one_client_may_ask_five_times_an_hour_then_gets_429(client, plan_2019, smtp):
    answers = [subscribe(client, f"person{n}@example.kr", area=AREA) for n in range(6)]
    assert [a.status_code for a in answers] == [302] * 5 + [429]
    assert "한 시간 뒤에" in page_text(answers[-1])
    assert Subscription.objects.count() == 5
    other = subscribe(client, "person6@example.kr", ip="198.51.100.1", area=AREA)
    assert other.status_code == 302


# --- confirming ---------------------------------------------------------------------------


def pending(client, smtp) -> tuple[Subscription, str]:
    subscribe(client, "name@example.kr", area=AREA)
    [message] = smtp.take()
    return Subscription.objects.get(), link_in(message, "/alerts/confirm/")


def test_opening_the_link_shows_one_button_and_only_pressing_it_confirms(client, plan_2019, smtp):
    subscription, link = pending(client, smtp)
    shown = client.get(link)
    assert shown.status_code == 200
    assert "알림 받기" in page_text(shown)
    assert "name@example.kr" in page_text(shown)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None

    done = client.post(link)
    assert done.status_code == 200
    assert "알림 신청이 끝났습니다" in page_text(done)
    assert re.search(r"지금 맞는 사업 \d+개", page_text(done))
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert subscription.snapshot["programs"], "the baseline is taken at confirmation"
    assert smtp.take() == [], "confirming sends nothing"


def assert_refused(response, subscription, reason: str) -> None:
    """The confirmation page says why it refused, and the request stays unconfirmed."""
    assert response.status_code == 400
    assert reason in page_text(response)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_a_tampered_link_is_refused_and_confirms_nothing(client, plan_2019, smtp):
    subscription, link = pending(client, smtp)
    token = link.split("/")[3]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for method in (client.get, client.post):
        response = method(f"/alerts/confirm/{forged}/")
        assert_refused(response, subscription, "링크가 올바르지 않습니다")


def test_an_expired_link_is_refused_and_confirms_nothing(client, plan_2019, smtp):
    subscription, _ = pending(client, smtp)
    four_days_ago = time.time() - 4 * 24 * 60 * 60
    with mock.patch("time.time", return_value=four_days_ago):
        old_link = f"/alerts/confirm/{confirmation_token(subscription)}/"
    assert_refused(client.post(old_link), subscription, "유효 기간(3일)이 지났습니다")


def test_a_link_to_a_request_that_was_deleted_says_so(client, plan_2019, smtp):
    subscription, link = pending(client, smtp)
    subscription.delete()
    response = client.post(link)
    assert response.status_code == 404
    assert "이 신청은 더 이상 없습니다" in page_text(response)
    assert not Subscription.objects.exists()


# --- unsubscribing ---------------------------------------------------------------------


def test_a_one_click_post_unsubscribes_without_a_page_cookie_or_csrf_token(plan_2019, smtp, client):
    subscription, _ = pending(client, smtp)
    mail_provider = Client(enforce_csrf_checks=True)
    response = mail_provider.post(
        f"/alerts/unsubscribe/{subscription.token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_the_unsubscribe_link_in_a_browser_shows_one_button_protected_by_csrf(
    plan_2019, smtp, client
):
    subscription, _ = pending(client, smtp)
    path = f"/alerts/unsubscribe/{subscription.token}/"
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    assert page.status_code == 200
    assert "구독 해지" in page_text(page)
    assert browser.post(path, {}).status_code == 403
    assert Subscription.objects.exists()

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    done = browser.post(path, {"csrfmiddlewaretoken": token})
    assert done.status_code == 200
    assert "구독을 해지했습니다" in page_text(done)
    assert not Subscription.objects.exists()
    assert "이미 해지되었습니다" in page_text(browser.get(path))
