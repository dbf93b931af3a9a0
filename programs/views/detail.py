"""One program: eligibility, amounts, its 12-month timeline, whom to call."""

from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from programs.drafts import draft_year_of, visible_programs
from programs.models import Program
from programs.versions import cached_plan_page
from schedules.timeline import lanes


@cached_plan_page()
def detail(request, pk):
    program = get_object_or_404(visible_programs(request).for_listing(), pk=pk)
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
        "draft_year": draft_year_of(request, program),
    }
    return render(request, "programs/detail.html", context)
