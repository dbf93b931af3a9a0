"""Exact dates as the calendar writes them.

`kinds.exact_dates` gives a milestone's first range, which is what the model
stores. One sheet cell may state several ("사전설명회 (2.11) 상담회 (2.27-28)"):
the calendar shows each, and the feed's event covers them all, so neither
hides the second date.
"""

from __future__ import annotations

import datetime

from schedules.kinds import date_ranges

__all__ = ["date_ranges", "describe"]


def describe(start: datetime.date, end: datetime.date) -> str:
    """ "2월 11일", "2월 27일~28일", "2월 27일~3월 2일"."""
    text = f"{start.month}월 {start.day}일"
    if end != start:
        text += f"~{end.day}일" if end.month == start.month else f"~{end.month}월 {end.day}일"
    return text
