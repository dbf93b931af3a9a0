"""Where each page type of the portal is, for the 2019 plan loaded by `site`."""

from django.conf import settings
from django.db.models import Count

from programs.models import Program

YEAR = 2019

# One URL per public page type. The filtered catalogue is the first journey's
# answer (예비협동조합, something on in April); the empty one searches for words no
# program has.
FIXED = {
    "home": "/",
    "catalogue": "/programs/",
    "catalogue-filtered": "/programs/?eligibility=pre-cooperative&month=4",
    "catalogue-no-results": "/programs/?q=우주정거장건설",
    "calendar": "/calendar/",
    "month": f"/calendar/{YEAR}/4/",
    "check": "/check/",
    "not-found": "/programs/999999/",
    # E-mail alerts for a filtered search (the form; tests/browser/test_alerts.py walks the rest).
    "alerts": "/alerts/?eligibility=pre-cooperative&month=4",
}
PUBLIC_PAGES = [*FIXED, "detail"]
ADMIN = "/" + settings.ADMIN_URL


def richest_program() -> Program:
    """The program with the most milestones and contact desks: its detail page has
    the most to show (spans, several desks), so it is the one worth checking."""
    return (
        Program.objects.for_year(YEAR)
        .annotate(n_milestones=Count("milestones", distinct=True))
        .annotate(n_contacts=Count("contact_links", distinct=True))
        .order_by("-n_milestones", "-n_contacts", "pk")
        .first()
    )


def public_path(name: str) -> str:
    if name == "detail":
        return richest_program().get_absolute_url()
    return FIXED[name]


def expected_status(name: str) -> int:
    return 404 if name == "not-found" else 200
