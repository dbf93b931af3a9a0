"""/check/ (자가진단): a few questions whose answers are the catalogue's filters.

The form is a GET to the catalogue, so the answers travel in its URL: nothing
is stored, no cookie is set, and the answer is an ordinary catalogue page that
can be shared and bookmarked. It asks only what the plan's data can answer:
the 지원대상 tags, whether the organisation exists yet (the 예비 tags), the
support area and whether applications are open today. Region is not asked:
every program is Seoul's.
"""

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse

from programs.drafts import sees_drafts
from programs.filters import search_programs
from programs.models import Eligibility, Program
from programs.versions import cached_plan_page
from programs.views.home import year_only
from schedules.status import Status, seoul_today

# Not yet founded: the tag the plan gives programs for teams that are still forming.
NOT_YET_FOUNDED = "pre-cooperative"
# The kinds of organisation people most often are, first; other tags follow in
# vocabulary order.
FIRST_ASKED = (
    "cooperative",
    "social-cooperative",
    "village-enterprise",
    "social-economy-enterprise",
    "social-economy-organization",
    "citizen",
)
HINTS = {
    "social-economy-enterprise": "사회적기업·협동조합·마을기업·자활기업 등을 함께 이르는 말",
    "social-economy-organization": "사회적경제기업과 그 밖의 사회적경제 단체·모임",
    "citizen": "개인으로 참여하는 교육·행사 등",
}


def organisation_options(year: int) -> dict:
    """The year's 지원대상 tags as answers to "what are you", with how many of the
    year's programs each reaches: the usual kinds of organisation ("first"), the
    rest ("others": institutions, districts …) and the not-yet-founded tag
    ("founding", or None). One query."""
    tags = (
        Eligibility.objects.filter(programs__area__plan_id=year)
        .annotate(program_count=Count("programs"))
        .order_by("position", "name")
    )
    options = [
        {
            "code": tag.code,
            "name": tag.name,
            "count": tag.program_count,
            "hint": HINTS.get(tag.code),
        }
        for tag in tags
    ]
    asked_first = {code: index for index, code in enumerate(FIRST_ASKED)}
    return {
        "first": sorted(
            (o for o in options if o["code"] in asked_first),
            key=lambda o: asked_first[o["code"]],
        ),
        "others": [o for o in options if o["code"] not in (*FIRST_ASKED, NOT_YET_FOUNDED)],
        "founding": next((o for o in options if o["code"] == NOT_YET_FOUNDED), None),
    }


@cached_plan_page(params=("year",))
def check(request):
    search = search_programs(
        year_only(request), path=reverse("programs:catalogue"), drafts=sees_drafts(request)
    )
    year = search.year
    context = {"search": search, "year": year, "messages_list": search.messages}
    if year is not None:
        today = seoul_today()
        context.update(
            {
                "organisations": organisation_options(year),
                "area_groups": search.filterset.area_groups,
                "open_count": Program.objects.for_year(year)
                .with_status([Status.OPEN], today)
                .count(),
                "today": today,
                "is_current_year": year == today.year,
                "keeps_year": year != search.years[0],
            }
        )
    return render(request, "programs/check.html", context)
