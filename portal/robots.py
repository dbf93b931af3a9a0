"""/robots.txt: where the sitemap is, and what crawlers need not fetch.

Site-level, so it lives here and names the sitemap by its URL name only: the
domain app that serves the sitemap is not imported."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# Django's default admin path. Naming a path the operator chose to keep out of
# scanners' sight (DJANGO_ADMIN_URL) would publish it; the admin's pages say
# "noindex" themselves (<meta name="robots" content="NONE,NOARCHIVE">), so
# nothing is lost by leaving such a path unnamed.
WELL_KNOWN_ADMIN_URL = "admin/"

# Downloads of the listings, for every combination of filters: an endless space
# of URLs that only repeat what the pages say. Feeds (.atom) stay crawlable:
# search engines read them to find changed pages sooner. `*` is RFC 9309's
# wildcard; the query string follows the extension, so no `$` anchor.
NOT_CRAWLED_DOWNLOADS = ("/*.csv", "/*.xlsx", "/*.json", "/*.ics")


@require_safe
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request):
    lines = ["User-agent: *"]
    if settings.ADMIN_URL == WELL_KNOWN_ADMIN_URL:
        lines.append(f"Disallow: /{settings.ADMIN_URL}")
    lines += [f"Disallow: {pattern}" for pattern in NOT_CRAWLED_DOWNLOADS]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
