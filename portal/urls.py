from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from portal import views as portal_views
from programs import views as program_views

urlpatterns = [
    path("healthz", portal_views.healthz, name="healthz"),
    path("readyz", portal_views.readyz, name="readyz"),
    path("", program_views.home, name="home"),
    path("", include("programs.urls")),
    path("", include("schedules.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
