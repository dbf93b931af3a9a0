"""The application status rule: open, upcoming, closed, and D-day, in Seoul."""

import datetime as dt
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone

from schedules.kinds import Kind
from schedules.status import Status, application_status, seoul_today


def milestone(start, end=None, *, kind=Kind.APPLICATION, dates=None):
    start_date, end_date = dates or (None, None)
    return SimpleNamespace(
        kind=kind, start_month=start, end_month=end or start, start_date=start_date,
        end_date=end_date,
    )  # fmt: skip


def status(milestones, today, year=2019):
    found = application_status(milestones, year, today)
    return found.status if found else None


D = dt.date


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2019, 2, 28), Status.UPCOMING),  # the day before the month
        (D(2019, 3, 1), Status.OPEN),  # first day of the month
        (D(2019, 4, 30), Status.OPEN),  # last day of a two-month span
        (D(2019, 5, 1), Status.CLOSED),  # the day after
        (D(2018, 12, 31), Status.UPCOMING),  # the plan's year has not begun
        (D(2020, 1, 1), Status.CLOSED),  # the plan's year is over
    ],
)
def test_a_period_written_in_months_covers_whole_months(today, expected):
    assert status([milestone(3, 4)], today) == expected


@pytest.mark.parametrize(
    ("today", "expected", "days_left"),
    [
        (D(2019, 3, 3), Status.UPCOMING, None),
        (D(2019, 3, 4), Status.OPEN, 4),
        (D(2019, 3, 8), Status.OPEN, 0),
        (D(2019, 3, 9), Status.CLOSED, None),
    ],
)
def test_exact_dates_decide_by_the_day_and_give_a_d_day(today, expected, days_left):
    found = application_status([milestone(3, dates=(D(2019, 3, 4), D(2019, 3, 8)))], 2019, today)
    assert found.status == expected
    assert found.days_left == days_left


def test_closing_soon_starts_seven_days_before_an_exact_deadline():
    exact = [milestone(2, 3, dates=(D(2019, 2, 11), D(2019, 3, 20)))]
    assert not application_status(exact, 2019, D(2019, 3, 12)).closing_soon
    soon = application_status(exact, 2019, D(2019, 3, 13))
    assert soon.closing_soon and soon.deadline_label == "마감 D-7"
    assert application_status(exact, 2019, D(2019, 3, 20)).deadline_label == "오늘 마감"


def test_a_month_only_period_has_no_d_day_even_on_its_last_day():
    found = application_status([milestone(3)], 2019, D(2019, 3, 31))
    assert found.status == Status.OPEN
    assert found.days_left is None and not found.closing_soon and found.deadline_label == ""


def test_a_second_round_later_in_the_year_makes_a_closed_program_upcoming():
    rounds = [milestone(2), milestone(9)]
    assert status(rounds, D(2019, 5, 15)) == Status.UPCOMING
    found = application_status(rounds, 2019, D(2019, 5, 15))
    assert found.period.start == D(2019, 9, 1) and found.days_until_open == 109
    assert status(rounds, D(2019, 10, 1)) == Status.CLOSED


def test_a_program_without_application_milestones_has_no_status():
    assert status([milestone(3, kind=Kind.EDUCATION)], D(2019, 3, 1)) is None
    assert status([], D(2019, 3, 1)) is None


def test_february_of_a_leap_year_ends_on_the_29th():
    assert status([milestone(2)], D(2020, 2, 29), year=2020) == Status.OPEN
    assert status([milestone(2)], D(2020, 3, 1), year=2020) == Status.CLOSED


def test_a_server_in_utc_at_2330_on_the_last_day_of_a_month_answers_with_seoul_s_date(settings):
    settings.TIME_ZONE = "Asia/Seoul"
    late = dt.datetime(2019, 3, 31, 23, 30, tzinfo=dt.UTC)  # 2019-04-01 08:30 in Seoul
    with mock.patch.object(timezone, "now", return_value=late):
        assert seoul_today() == D(2019, 4, 1)
        found = application_status([milestone(3), milestone(4)], 2019)
    assert found.status == Status.OPEN and found.period.start == D(2019, 4, 1)


def test_new_year_s_eve_in_utc_is_new_year_s_day_in_seoul(settings):
    late = dt.datetime(2019, 12, 31, 15, 0, tzinfo=dt.UTC)  # 2020-01-01 00:00 in Seoul
    with mock.patch.object(timezone, "now", return_value=late):
        assert seoul_today() == D(2020, 1, 1)
        assert application_status([milestone(12)], 2019).status == Status.CLOSED
