"""Small display helpers for program listings and the detail page."""

from django import template

from schedules.kinds import SYMBOLS, Kind
from schedules.labels import date_span, month_ranges
from schedules.status import application_status, seoul_today
from schedules.timeline import active_months

register = template.Library()


@register.inclusion_tag("programs/includes/month_strip.html")
def month_strip(program):
    """The catalogue's mini 12-month strip. The cells are decoration; the text
    beside them says the same, so colour is never the only carrier."""
    milestones = list(program.milestones.all())
    active = active_months(milestones)
    applying = active_months(m for m in milestones if m.kind == Kind.APPLICATION)
    return {
        "cells": [
            {"month": month, "active": month in active, "application": month in applying}
            for month in range(1, 13)
        ],
        "months_text": month_ranges(active),
        "application_text": month_ranges(applying),
        "application_symbol": SYMBOLS[Kind.APPLICATION],
    }


@register.filter
def date_range_parts(milestone) -> list[dict]:
    """A milestone's exact dates as (ISO date, text) parts, one per day named:
    HTML's <time> holds one date, not a range, so a range is two of them
    ("2월 27일" ~ "28일")."""
    start, end = milestone.start_date, milestone.end_date
    if not start:
        return []
    parts = [{"iso": start.isoformat(), "text": date_span(start)}]
    if end and end != start:
        text = f"{end.day}일" if end.month == start.month else date_span(end)
        parts.append({"iso": end.isoformat(), "text": text})
    return parts


@register.filter
def period_text(status) -> str:
    """The period a status is about, as the plan gives it: "3월 4일~18일" when it
    states the days, else the months ("3월", "3~4월")."""
    return status.period.text


@register.filter
def milestone_status(milestone):
    """An application milestone's own status today: a month list shows each
    period of a program that applies twice a year as what it is, not as the
    program's next one. None for other kinds of milestone."""
    if milestone.kind != Kind.APPLICATION:
        return None
    return application_status([milestone], milestone.program.area.plan_id)


@register.simple_tag
def today_in_seoul():
    """Seoul's date, as the status rule and the page cache read it ({% now %}
    reads the clock by another way)."""
    return seoul_today()
