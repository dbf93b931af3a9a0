"""What a milestone label means: its kind, and the exact dates it states.

Labels are what staff type in a month cell ("공고/접수", "심사/협약",
"중간결과 보고", "상담회 (2.27-28)"). The kind drives the colour, the symbol
and the "open for application" filter, so it is derived the same way everywhere.
"""

from __future__ import annotations

import datetime
import re

from django.db import models

from portal.text import compact as compact_text


class Kind(models.TextChoices):
    APPLICATION = "application", "공고·접수"
    SELECTION = "selection", "심사·선정"
    AGREEMENT = "agreement", "협약·계약"
    PAYMENT = "payment", "사업비 지급"
    RUNNING = "running", "사업 수행·수시"
    EDUCATION = "education", "교육·행사"
    REPORT = "report", "보고"
    RESULTS = "results", "성과 공유"
    OTHER = "other", "기타"


# A symbol per kind, so the calendar never relies on colour alone.
SYMBOLS = {
    Kind.APPLICATION: "✎",
    Kind.SELECTION: "✓",
    Kind.AGREEMENT: "✍",
    Kind.PAYMENT: "₩",
    Kind.RUNNING: "▶",
    Kind.EDUCATION: "◆",
    Kind.REPORT: "▤",
    Kind.RESULTS: "★",
    Kind.OTHER: "•",
}

# Keywords per kind. The keyword that appears first in the label decides
# ("공고/접수/선정" is an application, "심사/협약" a selection); on a tie the
# longer keyword wins ("수시접수" is an application, not just "수시").
KEYWORDS: dict[str, tuple[str, ...]] = {
    Kind.APPLICATION: ("공고", "접수", "모집", "신청", "공지", "수시접수", "상시접수"),
    Kind.SELECTION: ("선정", "심사", "평가"),
    Kind.AGREEMENT: ("협약", "계약"),
    Kind.PAYMENT: ("지급", "교부"),
    Kind.REPORT: ("보고", "평가회"),
    Kind.RESULTS: ("성과공유", "공유회"),
    Kind.EDUCATION: (
        "교육", "상담회", "간담회", "설명회", "박람회", "탐방", "학습회", "토론회", "캠프", "연수",
    ),
    Kind.RUNNING: ("수행", "진행", "추진", "운영", "수시", "상시", "실행", "개시", "대여"),
}  # fmt: skip

# "수행기관" names who carries a program out; it says nothing of the step.
_IGNORED_WORDS = ("수행기관",)


def classify(label: str) -> str:
    compact = compact_text(label)
    for word in _IGNORED_WORDS:
        compact = compact.replace(word, " " * len(word))
    best: tuple[int, int, str] | None = None
    for kind, words in KEYWORDS.items():
        for word in words:
            position = compact.find(word)
            if position < 0:
                continue
            candidate = (position, -len(word), kind)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else Kind.OTHER


# "(2.27-28)", "(2.11)", "3.4~3.8", "2.27~3.2": month.day with an optional range.
DATE_RANGE = re.compile(
    r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?:\s*[-~]\s*(?:(\d{1,2})\.)?(\d{1,2}))?(?![\d.]|\s*[천백만억원])"
)


def date_ranges(label: str, year: int) -> list[tuple[datetime.date, datetime.date]]:
    """Every valid exact date range written in the label, in the plan's year.
    One cell may state several ("사전설명회 (2.11) 상담회 (2.27-28)")."""
    ranges = []
    for match in DATE_RANGE.finditer(label or ""):
        month, day, end_month, end_day = match.groups()
        try:
            start = datetime.date(year, int(month), int(day))
            end = datetime.date(year, int(end_month or month), int(end_day)) if end_day else start
        except ValueError:
            continue
        if end >= start:
            ranges.append((start, end))
    return ranges


def exact_dates(label: str, year: int) -> tuple[datetime.date | None, datetime.date | None]:
    """The first exact date range written in the label (what a milestone stores)."""
    ranges = date_ranges(label, year)
    return ranges[0] if ranges else (None, None)


# "사업수행(4~11월)", "(~8월)", "1~12월": the months a label says it spans.
_MONTH_SPAN = re.compile(r"(\d{1,2})?\s*~\s*(\d{1,2})\s*월")


def stated_month_span(label: str) -> tuple[int | None, int] | None:
    match = _MONTH_SPAN.search(label or "")
    if not match:
        return None
    start, end = match.groups()
    return (int(start) if start else None, int(end))
