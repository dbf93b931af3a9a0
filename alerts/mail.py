"""The mails alerts send: each multipart (plain text and simple HTML), in
Korean, with RFC 8058 one-click unsubscribe headers."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from alerts.tokens import MAX_AGE_DAYS

SUBJECT_PREFIX = "[서울 사회적경제 지원사업]"


def unsubscribe_url(base_url: str, subscription) -> str:
    """The List-Unsubscribe link. Mail providers honour one-click only over
    https, so a site served over https never puts a plain-http link here."""
    return base_url + reverse("alerts:unsubscribe", args=[subscription.token])


def build(subscription, *, kind: str, subject: str, base_url: str, context: dict):
    """kind names the templates: alerts/mail/<kind>.txt and .html."""
    unsubscribe = unsubscribe_url(base_url, subscription)
    context = {
        **context,
        "subscription": subscription,
        "base_url": base_url,
        "unsubscribe_url": unsubscribe,
        "catalogue_url": base_url
        + reverse("programs:catalogue")
        + (f"?{subscription.query}" if subscription.query else ""),
    }
    message = EmailMultiAlternatives(
        subject=f"{SUBJECT_PREFIX} {subject}",
        body=render_to_string(f"alerts/mail/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Tells auto-responders (vacation replies) not to answer.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"alerts/mail/{kind}.html", context), "text/html")
    return message


def confirmation(subscription, *, base_url: str, confirm_url: str, description: str):
    return build(
        subscription,
        kind="confirm",
        subject="알림 신청을 확인해 주세요",
        base_url=base_url,
        context={
            "confirm_url": confirm_url,
            "description": description,
            "max_age_days": MAX_AGE_DAYS,
        },
    )


def already_following(subscription, *, base_url: str, description: str):
    return build(
        subscription,
        kind="already",
        subject="이미 이 조건으로 알림을 받고 있습니다",
        base_url=base_url,
        context={"description": description},
    )


def digest(subscription, news: list, *, base_url: str, description: str):
    items = [
        {
            "name": item.program.name,
            "area": item.program.area.name,
            "url": base_url + item.program.get_absolute_url(),
            "lines": item.lines,
        }
        for item in news
    ]
    return build(
        subscription,
        kind="digest",
        subject=f"구독하신 조건의 새 소식: 사업 {len(items)}개",
        base_url=base_url,
        context={"items": items, "description": description},
    )
