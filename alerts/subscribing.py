"""Asking for, confirming and ending a subscription."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from alerts import mail
from alerts.digest import compare, view_filter
from alerts.models import Subscription
from alerts.tokens import confirmation_token


def request_subscription(email: str, query: str, *, base_url: str, confirm_url, description):
    """Store a pending subscription (or find the existing one) and mail its owner:
    a confirmation link, or, when the address already follows this filter, a
    note saying so. Nothing else is ever sent before the link is followed.

    `confirm_url(token)` makes the link absolute. A mail that cannot be sent
    removes the row it created, so a failed request stores nothing."""
    try:
        with transaction.atomic():
            subscription, created = Subscription.objects.get_or_create(email=email, query=query)
    except IntegrityError:  # the same request twice at once: the other one created it
        subscription, created = Subscription.objects.get(email=email, query=query), False
    if subscription.is_confirmed:
        message = mail.already_following(subscription, base_url=base_url, description=description)
    else:
        message = mail.confirmation(
            subscription,
            base_url=base_url,
            confirm_url=confirm_url(confirmation_token(subscription)),
            description=description,
        )
    try:
        message.send()
    except Exception:
        if created:
            subscription.delete()
        raise
    return subscription


def confirm(subscription: Subscription, today) -> int:
    """Confirm, and take the baseline: the digests tell what changes from here.
    Returns how many programs the filter matches now."""
    view = view_filter(subscription.query, today)
    if not subscription.is_confirmed:
        _, snapshot = compare({}, view, today, baseline=True)
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now(), snapshot=snapshot
        )
    return len(view.matching)


def unsubscribe(token: str) -> bool:
    """Delete the subscription (its snapshot with it). False when there was none."""
    deleted, _ = Subscription.objects.filter(token=token).delete()
    return bool(deleted)
