"""Small display helpers for program listings and the detail page."""

from django import template

from schedules.kinds import SYMBOLS, Kind
from schedules.timeline import active_months

register = template.Library()


def month_ranges(months) -> str:
    """{3, 4, 5, 8} -> "3~5월, 8월": the months as a person would read them out."""
    runs: list[list[int]] = []
    for month in sorted(months):
        if runs and runs[-1][-1] == month - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(f"{r[0]}월" if len(r) == 1 else f"{r[0]}~{r[-1]}월" for r in runs)


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
    start, end = milestone.start_date, milestone.end_date
    if not start:
        return ""
    text = f"{start.month}월 {start.day}일"
    if end and end != start:
        text += f"~{end.day}일" if end.month == start.month else f"~{end.month}월 {end.day}일"
    return text


@register.filter
def kind_symbol(kind: str) -> str:
    try:
        return SYMBOLS[Kind(kind)]
    except ValueError:
        return SYMBOLS[Kind.OTHER]
