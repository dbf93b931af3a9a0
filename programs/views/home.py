"""The home page: the year at a glance, what opens this month and next, whom to call."""

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from programs.filters import search_programs
from programs.models import ProgramContact, SupportArea
from programs.versions import cached_plan_page
from schedules.kinds import SYMBOLS, Kind
from schedules.models import Milestone


def _year_only(request):
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
    search = search_programs(_year_only(request), path=reverse("programs:catalogue"))
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
    openings = (
        Milestone.objects.for_year(year)
        .filter(kind=Kind.APPLICATION, start_month__lte=months[-1], end_month__gte=months[0])
        .select_related("program__area__section")
        .order_by(
            "program__area__section__position", "program__area__position", "program__position"
        )
    )
    covering = {month: [m for m in openings if m.covers(month)] for month in months}
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
            "is_current_year": year == today.year,
            "centers": desks_by_center(year),
            "application_symbol": SYMBOLS[Kind.APPLICATION],
        }
    )
    return render(request, "home.html", context)
