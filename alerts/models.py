"""E-mail alerts: one row per (address, filter), pending until the address
owner follows the confirmation link, deleted on unsubscribe."""

import secrets

from django.db import models
from django.utils import timezone


def new_token() -> str:
    # Stored rather than signed, so the unsubscribe link in every mail already
    # sent keeps working when the secret key is rotated.
    return secrets.token_urlsafe(32)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_before(self, moment):
        return self.filter(confirmed_at__isnull=True, created_at__lt=moment)


class Subscription(models.Model):
    email = models.EmailField("이메일 주소", max_length=254)
    # The catalogue filter it follows, as programs.filters writes it (no sort, no page).
    query = models.CharField("조건", max_length=2000, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField("신청 시각", default=timezone.now)
    confirmed_at = models.DateTimeField("확인 시각", null=True, blank=True)
    last_sent_at = models.DateTimeField("마지막 알림", null=True, blank=True)
    # What the last digest (or the confirmation) knew: program id -> the facts
    # a digest compares, its status and the news already told (alerts.digest).
    snapshot = models.JSONField(default=dict, blank=True)
    # A send_alerts run claims a subscription until lease_until; a run that
    # dies leaves it to the next one once the lease is over.
    lease_owner = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "이메일 알림 구독"
        verbose_name_plural = "이메일 알림 구독"
        constraints = [
            models.UniqueConstraint(fields=["email", "query"], name="alert_one_per_address_filter")
        ]
        indexes = [models.Index(fields=["confirmed_at", "created_at"], name="alert_pending")]

    def __str__(self):
        return f"{self.email} ({self.query or '전체'})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
