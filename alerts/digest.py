"""What a followed filter shows today, and what changed since a subscriber was
last told.

A subscription's snapshot keeps, for every program of its filter **without the
status condition**, the facts a digest compares (name, target, 지원규모, 업체평균,
application months or dates, contact desks) as people read them, its status
today (schedules.status), whether it matched the whole filter, and the deadline
whose "마감 임박" was already told. Keeping the programs outside the status
condition is what lets someone who follows "접수 예정" hear that one has opened,
although it has just left their filter.

News, per program that matches the filter now or did last time:
- **added**: not in the snapshot (new in the plan, or newly inside the filter);
- **opened**: its status became 접수중;
- **closing**: an exact deadline within CLOSING_SOON_DAYS, told once per deadline;
- **corrections**: each fact that changed, old → new ("지원규모 1.24억원 → 1.5억원").
Programs that left the filter are dropped without news.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict

from contacts.models import ContactDesk
from portal.text import normalise
from programs.filters import search_programs
from programs.models import Program
from schedules.kinds import Kind
from schedules.labels import date_span, month_span
from schedules.status import ApplicationStatus, Period, Status, application_status

FACT_LABELS = {
    "name": "사업명",
    "target": "지원대상",
    "budget": "지원규모",
    "per_company": "업체평균",
    "application": "접수",
    "contacts": "문의처",
}
NOTHING = "없음"
SNAPSHOT_VERSION = 1


def followed_query(search) -> str:
    """The filter a subscription keeps: what the search understood, without sort."""
    return urlencode([(name, value) for name, value in search.params if name != "sort"])


def period_text(period: Period) -> str:
    if period.exact:
        return date_span(period.start, period.end)
    return month_span(period.start.month, period.end.month)


def application_text(milestones) -> str:
    """ "3월", "3~4월", "3월 4일~8일", several joined by ", "."""
    spans = []
    for milestone in sorted(milestones, key=lambda m: (m.start_month, m.end_month)):
        if milestone.kind != Kind.APPLICATION:
            continue
        if milestone.start_date:
            spans.append(date_span(milestone.start_date, milestone.end_date))
        else:
            spans.append(month_span(milestone.start_month, milestone.end_month))
    return ", ".join(spans)


def desk_text(desk: ContactDesk) -> str:
    return " ".join(part for part in (desk.name, desk.phone_display) if part)


def facts(program: Program) -> dict[str, str]:
    """What a correction is noticed on, written as the pages write it."""
    desks = [desk_text(link.desk) for link in program.contact_links.all()]
    return {
        "name": normalise(program.name),
        "target": normalise(program.target) or NOTHING,
        "budget": normalise(program.budget_text) or NOTHING,
        "per_company": normalise(program.per_company_text) or NOTHING,
        "application": application_text(program.milestones.all()) or NOTHING,
        "contacts": "; ".join(desks) or NOTHING,
    }


@dataclass
class FilterView:
    """A followed filter today: its programs without the status condition (in
    sheet order, prefetched) and the ids of those that match it whole."""

    programs: list[Program]
    matching: set[int]


def view_filter(query: str, today) -> FilterView:
    data = QueryDict(query)
    search = search_programs(data, today=today)
    if not data.getlist("status"):
        programs = list(search.programs.for_listing())
        return FilterView(programs, {program.pk for program in programs})
    base = data.copy()
    base.pop("status")
    programs = list(search_programs(base, today=today).programs.for_listing())
    return FilterView(programs, set(search.programs.values_list("pk", flat=True)))


@dataclass
class ProgramNews:
    program: Program
    status: ApplicationStatus | None
    added: bool = False
    opened: bool = False
    closing: bool = False
    corrections: list[tuple[str, str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.added or self.opened or self.closing or bool(self.corrections)

    @property
    def lines(self) -> list[str]:
        """One sentence per piece of news, as the digest prints them."""
        status = self.status
        lines = []
        if self.added:
            when = f" · {status.label} {period_text(status.period)}" if status else ""
            lines.append(f"새로 추가된 사업{when}")
        elif self.opened:
            lines.append(f"접수를 시작했습니다 · {period_text(status.period)}")
        if self.closing:
            end = status.period.end
            lines.append(f"{status.deadline_label} ({end.month}월 {end.day}일까지)")
        lines += [f"{label} {old} → {new}" for label, old, new in self.corrections]
        return lines


def _news_for(program, status, before: dict | None) -> ProgramNews:
    news = ProgramNews(program, status)
    closing_end = status.period.end.isoformat() if status and status.closing_soon else ""
    if before is None:
        news.added = True
        news.closing = bool(closing_end)
        return news
    news.opened = bool(status) and status.status == Status.OPEN and before["status"] != "open"
    news.closing = bool(closing_end) and before.get("closing") != closing_end
    now = facts(program)
    news.corrections = [
        (FACT_LABELS[key], before["facts"].get(key, NOTHING), value)
        for key, value in now.items()
        if before["facts"].get(key, value) != value
    ]
    return news


def compare(snapshot: dict, view: FilterView, today, *, baseline: bool = False):
    """(news for the digest, the new snapshot). With `baseline` nothing is news:
    the snapshot of what the subscriber starts from (no deadline told yet)."""
    before = snapshot.get("programs", {}) if not baseline else {}
    found, programs = [], {}
    for program in view.programs:
        status = application_status(program.milestones.all(), program.year, today)
        key = str(program.pk)
        matched = program.pk in view.matching
        previous = before.get(key)
        relevant = matched or bool(previous and previous.get("matched"))
        news = _news_for(program, status, previous) if relevant and not baseline else None
        if news:
            found.append(news)
        told = previous.get("closing", "") if previous else ""
        if news and news.closing:
            told = status.period.end.isoformat()
        programs[key] = {
            "facts": facts(program),
            "status": status.status.value if status else "",
            "matched": matched,
            "closing": told,
        }
    return found, {"version": SNAPSHOT_VERSION, "taken": today.isoformat(), "programs": programs}


def describe(search) -> str:
    """The filter in words, for pages and mails: "2019년 계획 · 지원분야: 민간판로 지원"."""
    explicit_year = any(name == "year" for name, _ in search.params)
    year = f"{search.year}년 계획" if explicit_year else "가장 최근 연도 계획"
    chips = [chip.label for chip in search.chips]
    return " · ".join([year, *chips]) if chips else f"{year}의 모든 지원사업"


def describe_query(query: str, today=None) -> str:
    return describe(search_programs(QueryDict(query), today=today))
