"""The catalogue: every program of a year, filtered, sorted and paged."""

from django.shortcuts import redirect, render

from programs.drafts import sees_drafts
from programs.feeds import subscribe_links
from programs.filters import FILTER_PARAMS, MONTH_CHOICES, Sort, canonical_url, search_programs
from programs.versions import LISTING_PARAMS, cached_plan_page
from schedules.kinds import Kind
from schedules.status import Status


@cached_plan_page(params=LISTING_PARAMS)
def catalogue(request):
    tidy = canonical_url(request)
    if tidy:
        return redirect(tidy)
    search = search_programs(request.GET, path=request.path, drafts=sees_drafts(request))
    page, page_message = search.paginate(search.programs.for_listing(), request.GET.get("page"))
    mark_matched_answers(page.object_list, search)
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
        "subscribe": subscribe_links(search, request),
        "exclude_closed_url": exclude_closed_url(search),
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
        "status_choices": Status.choices,
        "selected_status": [v for k, v in search.params if k == "status"],
    }


STILL_OPEN = (Status.OPEN, Status.UPCOMING)


def exclude_closed_url(search) -> str:
    """The same search without closed programs ("마감 제외"); "" when closed ones
    are already left out."""
    statuses = {v for k, v in search.params if k == "status"}
    if search.year is None or (statuses and Status.CLOSED not in statuses):
        return ""
    params = [(k, v) for k, v in search.params if k != "status"]
    params += [("status", status) for status in STILL_OPEN]
    order = {name: index for index, name in enumerate(FILTER_PARAMS)}
    return search.url(sorted(params, key=lambda item: order[item[0]]))


def mark_matched_answers(programs, search) -> None:
    """Say on each result which of the chosen 지원대상, 지원분야 and 접수 상태 it
    meets ("협동조합 · 교육 분야 · 접수중"), from what the listing already
    fetched: no query per result."""
    cleaned = search.filterset.cleaned()
    codes = set(cleaned.get("eligibility", ()))
    area = cleaned.get("area")
    statuses = set(cleaned.get("status", ()))
    if not (codes or area or statuses):
        return
    for program in programs:
        answers = [tag.name for tag in program.eligibility.all() if tag.code in codes]
        if area and program.area.name == area:
            answers.append(f"{area} 분야")
        found = program.application_status
        if found and found.status in statuses:
            answers.append(found.label)
        program.matched_answers = answers


def pagination(search, page) -> dict:
    """Links for the pagination partial: the first and last page, two on each
    side of the current one, and "…" only where it hides two pages or more."""
    paginator = page.paginator
    links = [
        None  # a gap, shown as …
        if number == paginator.ELLIPSIS
        else {"number": number, "url": search.page_url(number), "current": number == page.number}
        for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    total = paginator.num_pages
    return {
        "links": links,
        "previous_url": search.page_url(page.number - 1) if page.has_previous() else "",
        "next_url": search.page_url(page.number + 1) if page.has_next() else "",
        "total": total,
    }
