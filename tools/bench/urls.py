from functools import cache

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


@cache
def _body(size: int) -> bytes:
    line = "<p>서울 사회적경제 지원사업 포털 벤치마크 본문</p>\n".encode()
    return (line * (size // len(line) + 1))[:size]


def static_body(request, size):
    """The ceiling: no database, no template, the same bytes every time."""
    return HttpResponse(_body(min(size, 20_000_000)), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/static/<int:size>/", static_body), *portal_urlpatterns]
