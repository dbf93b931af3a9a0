"""Small display helpers for program listings and the detail page."""

from django import template

from schedules.kinds import SYMBOLS, Kind
from schedules.labels import date_span, month_ranges
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
def date_range(milestone) -> str:
    """A milestone's exact dates: "2월 11일", "2월 27일~28일", "2월 27일~3월 2일"."""
    return date_span(milestone.start_date, milestone.end_date) if milestone.start_date else ""
