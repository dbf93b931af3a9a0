"""schema.org data for a program's page (JSON-LD), so search engines read what
it is, who runs it, for whom, and when it takes applications.

Built from what the detail page already fetched (`Program.objects.for_listing()`):
no query of its own."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from schedules.status import application_periods

SCHEMA = "https://schema.org"
SEOUL = {"@type": "City", "name": "서울특별시", "sameAs": "https://www.seoul.go.kr"}


def breadcrumbs(program) -> list[tuple[str, str]]:
    """(name, path) from the home page to the program, as the page's breadcrumbs."""
    catalogue = reverse("programs:catalogue")
    year = program.year
    return [
        ("홈", reverse("home")),
        (f"{year}년 지원사업", f"{catalogue}?{urlencode({'year': year})}"),
        (program.area.name, f"{catalogue}?{urlencode({'year': year, 'area': program.area.name})}"),
        (program.name, program.get_absolute_url()),
    ]


def _offers(program, url: str) -> list[dict]:
    """One Offer per application period: the days the plan states, else its whole months."""
    return [
        {
            "@type": "Offer",
            "name": "공고·접수",
            "url": program.link or url,
            "availabilityStarts": period.start.isoformat(),
            "availabilityEnds": period.end.isoformat(),
            "eligibleRegion": SEOUL,
        }
        for period in application_periods(program.milestones.all(), program.year)
    ]


def _audience(program) -> list[dict]:
    names = [tag.name for tag in program.eligibility.all()]
    if not names and program.target:
        names = [program.target]
    return [{"@type": "Audience", "audienceType": name} for name in names]


def _channels(program) -> list[dict]:
    channels = []
    for link in program.contact_links.all():
        desk = link.desk
        point = {"@type": "ContactPoint", "name": desk.name or "문의처"}
        if desk.phone:
            point["telephone"] = desk.phone_display
        if desk.url:
            point["url"] = desk.url
        channels.append({"@type": "ServiceChannel", "servicePhone": point})
    return channels


def program_graph(program, absolute) -> list[dict]:
    """The GovernmentService and the BreadcrumbList of a program's page.
    `absolute(path)` makes a URL absolute (request.build_absolute_uri)."""
    url = absolute(program.get_absolute_url())
    service = {
        "@context": SCHEMA,
        "@type": "GovernmentService",
        "name": program.name,
        "url": url,
        "serviceType": program.area.name,
        "category": program.area.name,
        "provider": {"@type": "GovernmentOrganization", "name": program.area.section.center},
        "areaServed": SEOUL,
    }
    if program.summary:
        service["description"] = program.summary
    optional = {
        "audience": _audience(program),
        "offers": _offers(program, url),
        "availableChannel": _channels(program),
    }
    service.update({key: value for key, value in optional.items() if value})
    trail = {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute(path)}
            for position, (name, path) in enumerate(breadcrumbs(program), start=1)
        ],
    }
    return [service, trail]


class _KoreanAsWritten(DjangoJSONEncoder):
    """Hangul as itself rather than \\uXXXX: half the bytes, readable in the source."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "ensure_ascii": False})


def json_ld_script(data) -> str:
    """`data` in a <script type="application/ld+json">. Django's json_script
    escapes <, > and & as \\u escapes, so no text in the data can end the element;
    only the type differs, and json_script cannot set it. JSON-LD is data, not
    script: the CSP's script-src does not apply to it."""
    element = json_script(data, encoder=_KoreanAsWritten)
    # The one reviewed exception to "Python never marks text safe": json_script's
    # own safe output with one fixed attribute swapped (tests/portal/test_security.py).
    ld_json = element.replace('type="application/json"', 'type="application/ld+json"', 1)
    return mark_safe(ld_json)  # noqa: S308
