"""The home page: the year at a glance, what is open today and opens next, what
opens this month and next, whom to call."""

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from programs.drafts import sees_drafts
from programs.filters import search_programs
from programs.models import ProgramContact, SupportArea
from programs.versions import cached_plan_page
from schedules.kinds import SYMBOLS, Kind
from schedules.models import Milestone
from schedules.status import Status, application_status


def year_only(request):
    """The listing parameters a page that only switches years reads."""
    data = request.GET.copy()
    for key in list(data):
        if key != "year":
            del data[key]
    return data


def application_months(year: int, today) -> list[int]:
    """This month and next when looking at the current year; otherwise the
    plan's first two months, so a past or future plan still shows its start."""
    if year == today.year:
        return [today.month, today.month + 1] if today.month < 12 else [12]
    return [1, 2]


# A month box on the home page lists this many; the rest are one link away.
HOME_OPENINGS_SHOWN = 8


def _sheet_order(program) -> tuple:
    return (program.area.section.position, program.area.position, program.position)


def application_board(applications, year: int, today) -> dict:
    """What is open today, the nearest exact deadline first, and what opens next,
    soonest first, from the year's application milestones (program, area and
    section already joined): each as {"program", "status"}."""
    by_program: dict[int, list] = {}
    for milestone in applications:
        by_program.setdefault(milestone.program_id, []).append(milestone)
    open_now, upcoming = [], []
    for milestones in by_program.values():
        found = application_status(milestones, year, today)
        entry = {"program": milestones[0].program, "status": found}
        if found.status == Status.OPEN:
            open_now.append(entry)
        elif found.status == Status.UPCOMING:
            upcoming.append(entry)
    open_now.sort(
        key=lambda e: (
            e["status"].days_left is None,
            e["status"].days_left or 0,
            e["status"].period.end,
            _sheet_order(e["program"]),
        )
    )
    upcoming.sort(key=lambda e: (e["status"].period.start, _sheet_order(e["program"])))
    return {"open": open_now, "upcoming": upcoming}


def desks_by_center(year: int) -> list[dict]:
    """The year's contact desks under the center (section) whose programs they
    answer for, one line per team with all its numbers. One query."""
    links = (
        ProgramContact.objects.filter(program__area__plan_id=year)
        .select_related("desk", "program__area__section")
        .order_by(
            "program__area__section__position", "desk__team", "desk__organization", "desk__phone"
        )
    )
    centers: dict[str, dict[str, dict]] = {}
    for link in links:
        desk = link.desk
        teams = centers.setdefault(link.program.area.section.name, {})
        team = teams.setdefault(desk.name or "문의처", {"name": desk.name or "문의처", "desks": []})
        if desk not in team["desks"]:
            team["desks"].append(desk)
    return [{"name": name, "teams": list(teams.values())} for name, teams in centers.items()]


@cached_plan_page(params=("year",))
def home(request):
    today = timezone.localdate()
    search = search_programs(
        year_only(request), path=reverse("programs:catalogue"), drafts=sees_drafts(request)
    )
    year = search.year
    context = {"search": search, "year": year, "messages_list": search.messages}
    if year is None:
        return render(request, "home.html", context)

    areas = (
        SupportArea.objects.filter(plan_id=year)
        .select_related("section")
        .annotate(program_count=Count("programs"))
        .order_by("section__position", "position")
    )
    sections: dict = {}
    for area in areas:
        sections.setdefault(area.section, []).append(area)

    months = application_months(year, today)
    applications = list(
        Milestone.objects.for_year(year)
        .filter(kind=Kind.APPLICATION)
        .select_related("program__area__section")
        .order_by(
            "program__area__section__position",
            "program__area__position",
            "program__position",
            "start_month",
        )
    )
    covering = {month: [m for m in applications if m.covers(month)] for month in months}
    board = application_board(applications, year, today)
    by_month = [
        {
            "month": month,
            "milestones": covering[month][:HOME_OPENINGS_SHOWN],
            "count": len(covering[month]),
            "url": search.url_with(month=month, kind=Kind.APPLICATION),
        }
        for month in months
    ]
    context.update(
        {
            "sections": [
                {
                    "section": section,
                    "areas": area_list,
                    "total": sum(a.program_count for a in area_list),
                }
                for section, area_list in sections.items()
            ],
            "program_count": sum(area.program_count for area in areas),
            "openings": by_month,
            "board": {
                name: {
                    "entries": entries[:HOME_OPENINGS_SHOWN],
                    "count": len(entries),
                    "url": search.url_with(status=name),
                }
                for name, entries in board.items()
            },
            "today": today,
            "is_current_year": year == today.year,
            "centers": desks_by_center(year),
            "application_symbol": SYMBOLS[Kind.APPLICATION],
        }
    )
    return render(request, "home.html", context)
