import io
from urllib.parse import urlencode

from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from portal.caching import cache_public_page
from programs import opendata
from programs.filters import MONTH_CHOICES, Sort, canonical_url, search_programs
from programs.models import Program, ProgramContact, SupportArea
from schedules.kinds import SYMBOLS, Kind
from schedules.models import Milestone
from schedules.timeline import lanes


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


@cache_public_page
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


@cache_public_page
def catalogue(request):
    tidy = canonical_url(request)
    if tidy:
        return redirect(tidy)
    search = search_programs(request.GET, path=request.path)
    page, page_message = search.paginate(search.programs.for_listing(), request.GET.get("page"))
    messages_list = search.messages + ([page_message] if page_message else [])
    relaxations = search.relaxations() if not page.object_list and search.chips else []
    sort = search.sort
    context = {
        "search": search,
        "year": search.year,
        "page": page,
        "total": page.paginator.count,
        "results_anchor": "#results",
        "pagination": pagination(search, page),
        "messages_list": messages_list,
        "relaxations": relaxations,
        "useful_relaxations": [(chip, n) for chip, n in relaxations if n],
        "sort_links": [
            {
                "value": value,
                "label": label,
                "url": search.url_with(sort=value if value != Sort.SHEET else None, page=None),
                "current": value == sort,
            }
            for value, label in Sort.choices
        ],
        **form_context(search),
        "reference_month": search.filterset.reference_month,
        "export_query": search.query_string,
    }
    return render(request, "programs/catalogue.html", context)


ADVANCED_PARAMS = ("amount_min", "amount_max", "budget_min", "budget_max", "contact", "section")


def form_context(search) -> dict:
    """What the filter form partial needs to show the current choices."""
    raw = search.filterset.data
    return {
        "selected": dict(search.params),
        "selected_eligibility": [v for k, v in search.params if k == "eligibility"],
        "raw": raw,
        "more_open": any(raw.get(name) for name in ADVANCED_PARAMS),
        "month_choices": MONTH_CHOICES,
        "kind_choices": Kind.choices,
    }


def pagination(search, page) -> dict:
    """Links for the pagination partial: first, last, and two around the current page."""
    total = page.paginator.num_pages
    numbers = sorted(
        {1, total, *range(page.number - 2, page.number + 3)} & set(range(1, total + 1))
    )
    links, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            links.append(None)  # a gap, shown as …
        links.append(
            {"number": number, "url": search.page_url(number), "current": number == page.number}
        )
        previous = number
    return {
        "links": links,
        "previous_url": search.page_url(page.number - 1) if page.has_previous() else "",
        "next_url": search.page_url(page.number + 1) if page.has_next() else "",
        "total": total,
    }


@cache_public_page
def detail(request, pk):
    program = get_object_or_404(Program.objects.for_listing(), pk=pk)
    milestones = sorted(program.milestones.all(), key=lambda m: (m.start_month, m.end_month))
    neighbours = (
        Program.objects.filter(area_id=program.area_id).exclude(pk=program.pk).in_sheet_order()
    )
    catalogue_url = reverse("programs:catalogue")
    area_name = program.area.name
    context = {
        "program": program,
        "milestones": milestones,
        "lanes": lanes(milestones),
        "contacts": [link.desk for link in program.contact_links.all()],
        "eligibility": list(program.eligibility.all()),
        "neighbours": list(neighbours),
        "year_url": f"{catalogue_url}?{urlencode({'year': program.year})}",
        "area_url": f"{catalogue_url}?{urlencode({'year': program.year, 'area': area_name})}",
        "months": range(1, 13),
    }
    return render(request, "programs/detail.html", context)


# -- open data ----------------------------------------------------------------------
def _export_search(request):
    """The exports take the catalogue's filters; a parameter they cannot use is a
    400 naming it, since a program reading the file cannot see a message."""
    search = search_programs(request.GET, path=reverse("programs:catalogue"))
    if search.messages:
        return search, JsonResponse(
            {"error": "invalid parameters", "messages": search.messages},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return search, None


def _filename(search, extension: str) -> str:
    return f"seoul-social-economy-programs-{search.year or 'none'}.{extension}"


@cache_public_page
def programs_json(request):
    search, error = _export_search(request)
    if error:
        return error
    base_url = request.build_absolute_uri("/").rstrip("/")
    data = opendata.plan_to_dict(search.year, search.programs.for_listing(), base_url=base_url)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_public_page
def programs_csv(request):
    search, error = _export_search(request)
    if error:
        return error
    stream = io.StringIO()
    base_url = request.build_absolute_uri("/").rstrip("/")
    opendata.write_csv(search.programs.for_listing(), stream, base_url=base_url)
    response = HttpResponse(
        stream.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(search, "csv")}"'
    return response


@cache_public_page
def programs_xlsx(request):
    search, error = _export_search(request)
    if error:
        return error
    if search.year is None:
        raise Http404("등록된 계획이 없습니다.")
    stream = io.BytesIO()
    # The importable layout groups rows by section and area: always sheet order.
    programs = search.filterset.sorted(search.programs, Sort.SHEET).for_listing()
    opendata.write_xlsx(search.year, programs, stream)
    response = HttpResponse(
        stream.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(search, "xlsx")}"'
    return response
