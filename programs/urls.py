from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from programs import feeds
from programs.sitemaps import SITEMAPS
from programs.views import calendar, catalogue, check, detail, exports, home

# Page names under "programs:" (catalogue, detail, calendar …); the home page is plain "home".
pages = [
    path("programs/", catalogue.catalogue, name="catalogue"),
    path("programs/<int:pk>/", detail.detail, name="detail"),
    path("programs.json", exports.programs_json, name="json"),
    path("programs.csv", exports.programs_csv, name="csv"),
    path("programs.xlsx", exports.programs_xlsx, name="xlsx"),
    path("programs.atom", feeds.programs_atom, name="atom"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/<int:year>/<int:month>/", calendar.month, name="month"),
    path("calendar.ics", calendar.calendar_ics, name="ics"),
    path("programs/<int:pk>/calendar.ics", calendar.program_ics, name="program_ics"),
    path("check/", check.check, name="check"),
]

urlpatterns = [
    path("", home.home, name="home"),
    # Not namespaced: the site's robots.txt names it without knowing this app.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include((pages, "programs"))),
]
