"""What a digest tells: programs that opened, deadlines within 7 days, new
programs and corrections (old → new, as people read them), once each, and
nothing at all when nothing changed."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Subscription
from alerts.subscribing import confirm
from contacts.models import ContactDesk
from programs.amounts import parse_amount
from programs.models import ProgramContact
from schedules.models import Milestone
from schedules.status import seoul_today
from tests.alerts.conftest import html_part, text_part, unsubscribe_path
from tests.alerts.helpers import at

pytestmark = pytest.mark.django_db

YEAR = 2027


def follow(query: str, day: str) -> Subscription:
    """A confirmed subscription, its baseline taken on `day`."""
    subscription = Subscription.objects.create(email="name@example.kr", query=query)
    with at(day):
        confirm(subscription, seoul_today())
    subscription.refresh_from_db()
    return subscription


def send_alerts(day: str) -> str:
    out = io.StringIO()
    with at(day):
        call_command("send_alerts", stdout=out)
    return out.getvalue()


def only_digest(smtp, day: str):
    """The one digest `send_alerts` sends on `day`."""
    send_alerts(day)
    [message] = smtp.take()
    return message


def news_lines(message) -> list[str]:
    return [line.strip()[2:] for line in text_part(message).splitlines() if line.startswith("  - ")]


@pytest.fixture
def market(make_program):
    """Two programs of one area in YEAR: one taking applications in March, one
    in June with exact days; a third in another area."""
    budgeted = make_program(
        "유통채널 입점지원",
        area="민간판로 지원",
        year=YEAR,
        budget_text="1.24억원",
        milestones=[("공고/접수", 3, 3), ("선정/협약", 4, 4)],
        contacts=[("", "판로지원팀", "07042675038")],
    )
    budgeted.budget = parse_amount("1.24억원")
    budgeted.save()
    dated = make_program(
        "공공구매 상담회",
        area="민간판로 지원",
        year=YEAR,
        milestones=[("접수 (6.10~6.21)", 6, 6)],
    )
    other = make_program("협동조합 상담", area="상담", year=YEAR, milestones=[("상시 접수", 1, 12)])
    return budgeted, dated, other


def test_nothing_changed_sends_nothing_and_says_so(smtp, base_url, market):
    follow("area=민간판로+지원", f"{YEAR}-01-10")
    assert "0 digests sent, 1 subscriptions without news" in send_alerts(f"{YEAR}-01-11")
    assert smtp.take() == []


def test_a_correction_is_told_once_in_the_units_people_read(smtp, base_url, market):
    budgeted, _, other = market
    subscription = follow("area=민간판로+지원", f"{YEAR}-01-10")
    budgeted.budget = parse_amount("1.5억원")
    budgeted.per_company = parse_amount("최대 7천만원")
    budgeted.target = "서울시 사회적경제기업"
    budgeted.save()
    Milestone.objects.filter(program=budgeted, start_month=3).update(end_month=4)
    desk = ContactDesk.objects.create(team="공공구매팀", phone="07042675040")
    ProgramContact.objects.filter(program=budgeted).update(desk=desk)
    other.budget = parse_amount("9억원")  # outside the filter: no news
    other.save()

    message = only_digest(smtp, f"{YEAR}-01-11")
    assert message["To"] == "name@example.kr"
    assert news_lines(message) == [
        "지원대상 없음 → 서울시 사회적경제기업",
        "지원규모 1.24억원 → 1.5억원",
        "업체평균 없음 → 최대 7천만원",
        "접수 3월 → 3~4월",
        "문의처 판로지원팀 070-4267-5038 → 공공구매팀 070-4267-5040",
    ]
    assert "유통채널 입점지원" in text_part(message)
    assert f"https://portal.example.kr/programs/{budgeted.pk}/" in text_part(message)
    assert f'href="https://portal.example.kr/programs/{budgeted.pk}/"' in html_part(message)
    assert "협동조합 상담" not in text_part(message)
    assert unsubscribe_path(message) == f"/alerts/unsubscribe/{subscription.token}/"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    send_alerts(f"{YEAR}-01-12")
    assert smtp.take() == [], "the same news is never sent twice"


@pytest.mark.parametrize("status", ["open", "upcoming"])
def test_someone_following_open_or_upcoming_programs_hears_once_when_one_opens(
    smtp, base_url, market, status
):
    follow(f"area=민간판로+지원&status={status}", f"{YEAR}-02-20")
    message = only_digest(smtp, f"{YEAR}-03-01")
    assert "유통채널 입점지원" in text_part(message)
    assert news_lines(message) == ["접수를 시작했습니다 · 3월"]
    send_alerts(f"{YEAR}-03-02")
    assert smtp.take() == []


def test_a_later_opening_and_a_near_exact_deadline_are_each_told_once(smtp, base_url, market):
    follow("area=민간판로+지원&status=open", f"{YEAR}-02-20")
    only_digest(smtp, f"{YEAR}-03-01")  # 유통채널 입점지원 opens: the test above

    opened = only_digest(smtp, f"{YEAR}-06-10")
    assert "공공구매 상담회" in text_part(opened)
    assert news_lines(opened) == ["접수를 시작했습니다 · 6월 10일~21일"]
    closing = only_digest(smtp, f"{YEAR}-06-15")
    assert news_lines(closing) == ["마감 D-6 (6월 21일까지)"]
    send_alerts(f"{YEAR}-06-16")
    assert smtp.take() == [], "the deadline is told once"


def test_a_program_added_to_the_filter_is_told_with_its_status(
    smtp, base_url, market, make_program
):
    follow("area=민간판로+지원", f"{YEAR}-01-10")
    make_program("판로 컨설팅", area="민간판로 지원", year=YEAR, milestones=[("공고/접수", 5, 5)])
    message = only_digest(smtp, f"{YEAR}-01-11")
    assert "판로 컨설팅" in text_part(message)
    assert news_lines(message) == ["새로 추가된 사업 · 접수 예정 5월"]


def test_a_digest_is_multipart_korean_and_names_the_filter(smtp, base_url, market):
    budgeted, *_ = market
    follow("area=민간판로+지원", f"{YEAR}-01-10")
    budgeted.budget = parse_amount("2억원")
    budgeted.save()
    message = only_digest(smtp, f"{YEAR}-01-11")
    assert message.get_content_type() == "multipart/alternative"
    assert "새 소식" in message["Subject"]
    assert "지원분야: 민간판로 지원" in text_part(message)
    assert "지원규모 1.24억원 → 2억원" in html_part(message)
    assert 'lang="ko"' in html_part(message)


def test_unconfirmed_requests_older_than_seven_days_are_deleted(smtp, base_url, db):
    now = timezone.now()
    old = Subscription.objects.create(email="old@example.kr", created_at=now - dt.timedelta(days=8))
    recent = Subscription.objects.create(
        email="new@example.kr", created_at=now - dt.timedelta(days=6)
    )
    confirmed = Subscription.objects.create(
        email="kept@example.kr", created_at=now - dt.timedelta(days=30), confirmed_at=now
    )
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    assert "1 unconfirmed deleted" in out.getvalue()
    assert set(Subscription.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert not Subscription.objects.filter(pk=old.pk).exists()


def test_send_alerts_refuses_to_run_without_the_site_address(settings, db):
    from django.core.management.base import CommandError

    settings.PORTAL_BASE_URL = ""
    with pytest.raises(CommandError, match="PORTAL_BASE_URL"):
        call_command("send_alerts", stdout=io.StringIO())
