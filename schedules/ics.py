"""iCalendar (RFC 5545) feeds of milestones, written with the `icalendar` package.

Every milestone is an all-day event: one stated with exact dates ("상담회 (2.27-28)")
covers those days, any other covers its months. DTEND is exclusive, as RFC 5545
says for DATE values, so March–April ends on May 1.

UIDs come from what identifies a milestone in the yearly sheet — year, support
area, program name, start month — never from database ids: a calendar app that
subscribed to the feed updates its events after a re-import instead of
showing them twice.
"""

from __future__ import annotations

import datetime
import uuid

from icalendar import Calendar, Event, vDuration

from schedules.kinds import Kind, date_ranges, stated_month_span

PRODID = "-//Seoul Social Economy Portal//추진일정//KO"
UID_DOMAIN = "seoul-social-economy-portal"
# A fixed namespace, so the same milestone gets the same UID on every server.
UID_NAMESPACE = uuid.UUID("6f4b8a52-5d0e-4c36-9a43-2f1d5c7e9b10")

CONTENT_TYPE = "text/calendar; charset=utf-8"
REFRESH = datetime.timedelta(hours=12)


def milestone_uid(year: int, area_name: str, program_name: str, start_month: int) -> str:
    key = f"{year}\x1f{area_name}\x1f{program_name}\x1f{start_month}"
    return f"{uuid.uuid5(UID_NAMESPACE, key)}@{UID_DOMAIN}"


def first_of_month_after(year: int, month: int) -> datetime.date:
    return datetime.date(year + month // 12, month % 12 + 1, 1)


def event_days(milestone, year: int) -> tuple[datetime.date, datetime.date]:
    """(DTSTART, exclusive DTEND) of the milestone's all-day event."""
    stated = date_ranges(milestone.label, year) if milestone.start_date else []
    if stated:
        # A cell stating two dates ("설명회 (2.11) 상담회 (2.27-28)") is one
        # milestone: its event runs from the first date to the last.
        start = min(start for start, _ in stated)
        end = max(end for _, end in stated)
        return start, end + datetime.timedelta(days=1)
    return (
        datetime.date(year, milestone.start_month, 1),
        first_of_month_after(year, milestone.end_month),
    )


def _as_utc(moment: datetime.datetime | None) -> datetime.datetime:
    if moment is None:
        return datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def milestone_event(milestone, program, absolute_url) -> Event:
    area = program.area
    year = area.plan_id
    start, end = event_days(milestone, year)
    kind = Kind(milestone.kind)
    event = Event()
    event.add("uid", milestone_uid(year, area.name, program.name, milestone.start_month))
    # Without METHOD, DTSTAMP is when the information last changed (RFC 5545
    # 3.8.7.2): the program's last edit, which also keeps the feed byte-stable.
    event.add("dtstamp", _as_utc(program.updated_at))
    event.add("last-modified", _as_utc(program.updated_at))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"[{kind.label}] {program.name}: {milestone.label}")
    lines = [
        f"{area.section.name} · {area.name}",
        f"일정: {milestone.label}"
        + ("" if stated_month_span(milestone.label) else f" ({milestone.months_display})"),
    ]
    if program.target:
        lines.append(f"지원대상: {program.target}")
    for link in program.contact_links.all():
        lines.append(f"문의: {link.desk}")
    url = absolute_url(program.get_absolute_url())
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("categories", [kind.label])
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def calendar_bytes(items, *, name: str, absolute_url) -> bytes:
    """items: (milestone, program) pairs. absolute_url turns a path into a full URL."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Seoul")
    # Ask subscribed calendars to look again twice a day (RFC 7986), so an
    # edit or a re-import reaches them without anyone re-subscribing.
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    for milestone, program in items:
        cal.add_component(milestone_event(milestone, program, absolute_url))
    return cal.to_ical()
