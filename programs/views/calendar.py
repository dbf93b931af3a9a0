"""The 12-month calendar, the by-month list and the iCalendar feeds.

All three read the catalogue's filters (programs.filters), so a slice of the
catalogue ("협동조합 대상, 교육 분야") is the same slice here, under the same URL
parameters.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from programs.drafts import sees_drafts, visible_programs
from programs.filters import canonical_url, search_programs
from programs.versions import LISTING_PARAMS, cached_plan_page
from programs.views.catalogue import form_context
from schedules import gantt, ics
from schedules.kinds import SYMBOLS, Kind
from schedules.models import Milestone
from schedules.timeline import MONTHS


def legend() -> list[dict]:
    return [{"kind": kind, "label": kind.label, "symbol": SYMBOLS[kind]} for kind in Kind]


def _month_query(search) -> str:
    """The filters to carry to a by-month page. It names its month and year in
    the path, and lists in its own order, so those parameters stay behind."""
    return urlencode([(k, v) for k, v in search.params if k not in {"year", "sort", "month"}])


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


@cached_plan_page(params=LISTING_PARAMS)
def calendar(request):
    tidy = canonical_url(request)
    if tidy:
        return redirect(tidy)
    today = timezone.localdate()
    search = search_programs(
        request.GET, path=request.path, today=today, drafts=sees_drafts(request)
    )
    year = search.year
    programs = list(search.programs.for_listing()) if year else []
    sections = gantt.group(programs)
    is_current_year = year == today.year
    carried = _month_query(search)
    month_links = [
        {
            "number": month,
            "url": _with_query(reverse("programs:month", args=[year, month]), carried)
            if year
            else "",
            "current": is_current_year and month == today.month,
        }
        for month in MONTHS
    ]
    # The by-month list is what reads well on a phone: offer this month's.
    phone_month = today.month if is_current_year else 1
    context = {
        "search": search,
        "year": year,
        "sections": sections,
        "program_count": len(programs),
        "months": month_links,
        "current_month": today.month if is_current_year else None,
        "phone_month": phone_month,
        "phone_month_url": month_links[phone_month - 1]["url"],
        "legend": legend(),
        "messages_list": search.messages,
        "year_links": [
            {"year": y, "url": search.url_with(year=y), "current": y == year}
            for y in sorted(search.years)
        ],
        "ics_url": _with_query(reverse("programs:ics"), search.query_string),
        "catalogue_url": _with_query(reverse("programs:catalogue"), search.query_string),
        "filter_action": request.path,
        **form_context(search),
    }
    return render(request, "programs/calendar.html", context)


@cached_plan_page(params=LISTING_PARAMS)
def month(request, year: int, month: int):
    if not 1 <= month <= 12:
        raise Http404("1~12월만 있습니다.")
    today = timezone.localdate()
    # The path names the year and month; the same parameters in the query
    # would contradict it.
    data = request.GET.copy()
    data.pop("month", None)
    data.pop("year", None)
    search = search_programs(
        data, path=request.path, year=year, today=today, drafts=sees_drafts(request)
    )
    years = set(search.years)
    if year not in years:
        raise Http404(f"{year}년 계획은 없습니다.")
    kind = search.filterset.cleaned().get("kind")
    milestones = (
        Milestone.objects.in_month(month)
        .filter(program__in=search.programs.order_by().values("pk"))
        .select_related("program__area__section")
        .prefetch_related("program__eligibility", "program__contact_links__desk")
    )
    if kind:
        milestones = milestones.filter(kind=kind)
    groups = {k: [] for k in Kind}
    for milestone in sorted(milestones, key=_month_order):
        groups[Kind(milestone.kind)].append(milestone)

    carried = _month_query(search)
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)

    def link(target):
        if target[0] not in years:
            return None
        return {
            "year": target[0],
            "month": target[1],
            "url": _with_query(reverse("programs:month", args=target), carried),
        }

    context = {
        "search": search,
        "year": year,
        "month": month,
        "groups": [
            {"kind": k, "label": k.label, "symbol": SYMBOLS[k], "milestones": items}
            for k, items in groups.items()
            if items
        ],
        "total": sum(len(items) for items in groups.values()),
        "is_current_month": (year, month) == (today.year, today.month),
        "previous": link(previous),
        "next": link(following),
        "month_links": [
            {
                "number": m,
                "url": _with_query(reverse("programs:month", args=[year, m]), carried),
                "current": m == month,
            }
            for m in MONTHS
        ],
        "calendar_url": _with_query(
            reverse("programs:calendar"), urlencode([("year", year)]) + _amp(carried)
        ),
        "ics_url": _with_query(
            reverse("programs:ics"), urlencode([("year", year), ("month", month)]) + _amp(carried)
        ),
        "messages_list": search.messages,
    }
    return render(request, "programs/month.html", context)


def _amp(query: str) -> str:
    return f"&{query}" if query else ""


def _month_order(milestone):
    """Within a kind: what starts this month first, then sheet order."""
    area = milestone.program.area
    return (
        -milestone.start_month,
        area.section.position,
        area.position,
        milestone.program.position,
    )


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@cached_plan_page(params=LISTING_PARAMS)
def calendar_ics(request):
    """The plan, or a slice of it, as a feed. `kind` and `month` narrow the
    events too (only the application milestones), not just the programs."""
    search = search_programs(request.GET, path=request.path, drafts=sees_drafts(request))
    if search.messages:
        # A calendar app shows no page to read a message on: refuse, naming why.
        return HttpResponse(
            "\n".join(search.messages), status=400, content_type="text/plain; charset=utf-8"
        )
    year = search.year
    cleaned = search.filterset.cleaned()
    programs = list(search.programs.for_listing()) if year else []
    kind, month = cleaned.get("kind"), cleaned.get("month")
    items = [
        (milestone, program)
        for program in programs
        for milestone in sorted(program.milestones.all(), key=lambda m: m.start_month)
        if (not kind or milestone.kind == kind) and (not month or milestone.covers(int(month)))
    ]
    name = f"{year}년 서울 사회적경제 지원사업 추진일정" if year else "서울 사회적경제 지원사업"
    if search.chips:
        name += " (" + ", ".join(chip.label for chip in search.chips) + ")"
    body = ics.calendar_bytes(items, name=name, absolute_url=request.build_absolute_uri)
    return _ics_response(body, f"seoul-social-economy-{year or 'none'}.ics")


@cached_plan_page()
def program_ics(request, pk: int):
    program = get_object_or_404(visible_programs(request).for_listing(), pk=pk)
    items = [(m, program) for m in sorted(program.milestones.all(), key=lambda m: m.start_month)]
    body = ics.calendar_bytes(
        items,
        name=f"{program.year}년 {program.name} 추진일정",
        absolute_url=request.build_absolute_uri,
    )
    return _ics_response(body, f"program-{program.pk}-{program.year}.ics")
