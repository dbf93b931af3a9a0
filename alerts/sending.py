"""One run of `manage.py send_alerts`: each confirmed subscription gets at most
one digest of what changed in its filter since it was last told.

Safe to run twice at once. A run claims a batch of subscriptions by writing its
id and a lease into them, inside one short transaction that selects them FOR
UPDATE SKIP LOCKED on PostgreSQL (another run skips rows being claimed, instead
of waiting) and that SQLite runs as IMMEDIATE (the two runs' claims take turns).
A claimed row is left alone by other runs until the lease ends; a run that dies
gives its rows back when its lease is over.

A digest is sent before its snapshot is saved: when the save fails after the
mail went, the next run may repeat that news once; it never loses news.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alerts import mail
from alerts.digest import compare, describe_query, view_filter
from alerts.models import Subscription
from schedules.status import seoul_today

logger = logging.getLogger("portal.alerts")

LEASE = dt.timedelta(minutes=15)
BATCH = 50
UNCONFIRMED_KEPT = dt.timedelta(days=7)


@dataclass
class RunReport:
    deleted_unconfirmed: int = 0
    sent: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)


def delete_stale_unconfirmed(now) -> int:
    deleted, _ = Subscription.objects.unconfirmed_before(now - UNCONFIRMED_KEPT).delete()
    return deleted


def claim(run_id: str, now) -> list[int]:
    """Lease up to BATCH confirmed subscriptions nobody holds and this run has
    not handled yet (a handled row keeps the run's id, with its lease ended)."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    with transaction.atomic():
        ids = list(
            Subscription.objects.confirmed()
            .filter(free)
            .exclude(lease_owner=run_id)
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:BATCH]
        )
        Subscription.objects.filter(pk__in=ids).update(lease_owner=run_id, lease_until=now + LEASE)
    return ids


def run(*, base_url: str, today=None) -> RunReport:
    today = today or seoul_today()
    run_id = secrets.token_hex(8)
    report = RunReport(deleted_unconfirmed=delete_stale_unconfirmed(timezone.now()))
    views: dict[str, object] = {}  # one evaluation per distinct filter
    while batch := claim(run_id, timezone.now()):
        for subscription in Subscription.objects.filter(pk__in=batch, lease_owner=run_id):
            try:
                sent = send_one(subscription, views, base_url=base_url, today=today)
            except Exception as exc:
                logger.exception("alert digest failed for subscription %s", subscription.pk)
                report.failed.append(f"{subscription.pk}: {type(exc).__name__}")
                Subscription.objects.filter(pk=subscription.pk, lease_owner=run_id).update(
                    lease_until=None
                )
                continue
            if sent:
                report.sent += 1
            else:
                report.unchanged += 1
    return report


def send_one(subscription: Subscription, views: dict, *, base_url: str, today) -> bool:
    """Mail this subscription's news, if any; then keep what it now knows."""
    if subscription.query not in views:
        views[subscription.query] = view_filter(subscription.query, today)
    news, snapshot = compare(subscription.snapshot or {}, views[subscription.query], today)
    if news:
        description = describe_query(subscription.query, today)
        mail.digest(subscription, news, base_url=base_url, description=description).send()
    changes = {"snapshot": snapshot, "lease_until": None}
    if news:
        changes["last_sent_at"] = timezone.now()
    # Only while this run still holds the lease: an unsubscribe meanwhile deleted the row.
    Subscription.objects.filter(pk=subscription.pk, lease_owner=subscription.lease_owner).update(
        **changes
    )
    return bool(news)
