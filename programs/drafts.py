"""Who sees a draft plan year: staff who are logged in, on the pages they open
in their browser. Everyone else, and every feed a program subscribes to, sees
published years only (`Plan.objects.published()`, `Program.objects.public()`).

Staff pages are never cached: `portal.caching.PageCacheMiddleware` neither
serves nor stores a request that carries a session cookie, and a page for an
anonymous visitor is decided here without touching the session, so it stays
cacheable and can never hold a draft."""

from django.conf import settings
from django.contrib import admin

from programs.models import Program


def sees_drafts(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    # The admin's own test: active staff, with a verified second factor when
    # the site asks for one.
    return admin.site.has_permission(request)


def visible_programs(request):
    """The programs this request may open: every one for staff (with its plan,
    to tell a draft), the public ones for everyone else."""
    if sees_drafts(request):
        return Program.objects.select_related("area__plan")
    return Program.objects.public()


def draft_year_of(request, program) -> int | None:
    """The program's year when it is an unpublished draft shown to staff."""
    if not sees_drafts(request) or program.area.plan.is_published:
        return None
    return program.year
