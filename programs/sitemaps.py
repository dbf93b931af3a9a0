"""/sitemap.xml: every public program's page, and each plan year's catalogue,
calendar and month pages, with the time each last changed.

Everything here is read through `Program.objects.public()`, so a plan year kept
from the public there is left out of the sitemap too, years included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programs.models import Plan, Program
from schedules.timeline import MONTHS


class ProgramSitemap(Sitemap):
    def items(self):
        return (
            Program.objects.public()
            .only("pk", "updated_at")
            .order_by("area__plan", "area__section__position", "area__position", "position")
        )

    def lastmod(self, program):
        return program.updated_at


@dataclass(frozen=True)
class PlanPage:
    url: str
    changed: datetime


def _with_year(url: str, year: int, latest: int) -> str:
    # The pages show the latest year without being told; older years need `year`.
    return url if year == latest else f"{url}?{urlencode({'year': year})}"


def plan_pages() -> list[PlanPage]:
    """The home page, each public year's catalogue and calendar, and its twelve
    month pages; each changed when its plan year last did."""
    public_years = Program.objects.public().values("area__plan_id")
    plans = list(
        Plan.objects.filter(year__in=public_years)
        .order_by("-year")
        .values_list("year", "updated_at")
    )
    if not plans:
        return []
    latest = plans[0][0]
    pages = [PlanPage(reverse("home"), plans[0][1])]
    for year, changed in plans:
        pages += [
            PlanPage(_with_year(reverse("programs:catalogue"), year, latest), changed),
            PlanPage(_with_year(reverse("programs:calendar"), year, latest), changed),
            *(PlanPage(reverse("programs:month", args=[year, m]), changed) for m in MONTHS),
        ]
    return pages


class PlanPageSitemap(Sitemap):
    def items(self):
        return plan_pages()

    def location(self, page):
        return page.url

    def lastmod(self, page):
        return page.changed


SITEMAPS = {"pages": PlanPageSitemap, "programs": ProgramSitemap}
