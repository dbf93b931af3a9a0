"""How months and dates are written on every page, feed and export.

One home for these, so "3~4월" on the calendar, the detail page, the feed and
an import report can never drift apart."""

from __future__ import annotations

import datetime


def month_span(start: int, end: int) -> str:
    """(3, 3) -> "3월"; (3, 4) -> "3~4월"."""
    return f"{start}월" if start == end else f"{start}~{end}월"


def month_ranges(months) -> str:
    """{3, 4, 5, 8} -> "3~5월, 8월": the months as a person would read them out."""
    runs: list[list[int]] = []
    for month in sorted(months):
        if runs and runs[-1][-1] == month - 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(month_span(run[0], run[-1]) for run in runs)


def date_span(start: datetime.date, end: datetime.date | None = None) -> str:
    """ "2월 11일", "2월 27일~28일", "2월 27일~3월 2일"."""
    text = f"{start.month}월 {start.day}일"
    if end and end != start:
        text += f"~{end.day}일" if end.month == start.month else f"~{end.month}월 {end.day}일"
    return text
