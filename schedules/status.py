"""Whether a program takes applications today: the one rule every page, filter,
feed and alert uses.

A program's application milestones (kind 공고·접수) are its application
periods: the exact days when the plan states them ("접수 (3.4~3.8)"), else the
whole months they span. Today, in Seoul:

- **접수중** (open): a period covers today;
- **접수 예정** (upcoming): none covers today and one starts later;
- **마감** (closed): every period is over.

A program without application milestones has no status (it is never shown as
closed). D-day is only told where the plan gives an exact last day: "마감 D-3",
and within `CLOSING_SOON_DAYS` of it "마감임박". "Today" is always Seoul's date
(settings.TIME_ZONE), whatever the server's clock says.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from schedules.kinds import Kind
from schedules.labels import date_span, month_span

CLOSING_SOON_DAYS = 7


class Status(models.TextChoices):
    OPEN = "open", "접수중"
    UPCOMING = "upcoming", "접수 예정"
    CLOSED = "closed", "마감"


@dataclass(frozen=True)
class Period:
    """One application period, first and last day included."""

    start: datetime.date
    end: datetime.date
    exact: bool  # the plan states the days; otherwise whole months

    @property
    def text(self) -> str:
        """As the plan gives it: "3월 4일~18일" when it states the days, else "3~4월"."""
        if self.exact:
            return date_span(self.start, self.end)
        return month_span(self.start.month, self.end.month)


@dataclass(frozen=True)
class ApplicationStatus:
    status: Status
    period: Period  # the period that decides: open now, next to open, or the last one
    today: datetime.date

    @property
    def days_left(self) -> int | None:
        """Days until the exact last day of an open period (0 on that day)."""
        if self.status != Status.OPEN or not self.period.exact:
            return None
        return (self.period.end - self.today).days

    @property
    def closing_soon(self) -> bool:
        days = self.days_left
        return days is not None and days <= CLOSING_SOON_DAYS

    @property
    def days_until_open(self) -> int | None:
        if self.status != Status.UPCOMING:
            return None
        return (self.period.start - self.today).days

    @property
    def deadline_label(self) -> str:
        """ "마감 D-3", "오늘 마감", or "" when the plan gives no exact last day."""
        days = self.days_left
        if days is None:
            return ""
        return "오늘 마감" if days == 0 else f"마감 D-{days}"

    @property
    def label(self) -> str:
        return Status(self.status).label


def seoul_today() -> datetime.date:
    return timezone.localdate()


def period_of(year: int, start_month, end_month, start_date=None, end_date=None) -> Period:
    if start_date:
        return Period(start_date, end_date or start_date, exact=True)
    last_day = calendar.monthrange(year, end_month)[1]
    return Period(
        datetime.date(year, start_month, 1), datetime.date(year, end_month, last_day), False
    )


def application_periods(milestones: Iterable, year: int) -> list[Period]:
    """The application periods among a program's milestones, in date order."""
    return sorted(
        (
            period_of(year, m.start_month, m.end_month, m.start_date, m.end_date)
            for m in milestones
            if m.kind == Kind.APPLICATION
        ),
        key=lambda period: (period.start, period.end),
    )


def status_of(periods: list[Period], today: datetime.date) -> ApplicationStatus | None:
    """The rule, on periods in date order."""
    if not periods:
        return None
    for period in periods:
        if period.start <= today <= period.end:
            return ApplicationStatus(Status.OPEN, period, today)
    for period in periods:
        if period.start > today:
            return ApplicationStatus(Status.UPCOMING, period, today)
    return ApplicationStatus(Status.CLOSED, periods[-1], today)


def application_status(milestones: Iterable, year: int, today=None) -> ApplicationStatus | None:
    return status_of(application_periods(milestones, year), today or seoul_today())
