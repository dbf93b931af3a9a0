"""The URL map. The site package names the domain apps' URLconfs by their
module path and imports none of them: the apps depend on portal, never the
other way round."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import health, robots

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("robots.txt", robots.robots_txt, name="robots"),
    path("", include("programs.urls")),
    path("alerts/", include("alerts.urls")),
    path("", include("history.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
