"""Open data: the catalogue's filters as JSON, CSV and the importable xlsx."""

import functools
import io

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import content_disposition_header

from programs import opendata
from programs.drafts import sees_drafts
from programs.filters import Sort, search_programs
from programs.versions import LISTING_PARAMS, cached_plan_page

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export(view):
    """A public export of the catalogue's search, cached as its pages are: `view`
    gets the request and the search. A parameter the exports cannot use is a 400
    naming it, since a program reading the file cannot see a message."""

    @cached_plan_page(params=LISTING_PARAMS)
    @functools.wraps(view)
    def export(request):
        search = search_programs(
            request.GET, path=reverse("programs:catalogue"), drafts=sees_drafts(request)
        )
        if search.messages:
            return JsonResponse(
                {"error": "invalid parameters", "messages": search.messages},
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        return view(request, search)

    return export


def _base_url(request) -> str:
    """The site's address, for the page links an export carries."""
    return request.build_absolute_uri("/").rstrip("/")


def _download(body: bytes, content_type: str, search, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    filename = f"seoul-social-economy-programs-{search.year or 'none'}.{extension}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@_export
def programs_json(request, search):
    data = opendata.plan_to_dict(
        search.year, search.programs.for_listing(), base_url=_base_url(request)
    )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@_export
def programs_csv(request, search):
    stream = io.StringIO()
    opendata.write_csv(search.programs.for_listing(), stream, base_url=_base_url(request))
    return _download(stream.getvalue().encode("utf-8"), "text/csv; charset=utf-8", search, "csv")


@_export
def programs_xlsx(request, search):
    if search.year is None:
        raise Http404("등록된 계획이 없습니다.")
    stream = io.BytesIO()
    # The importable layout groups rows by section and area: always sheet order.
    programs = search.filterset.sorted(search.programs, Sort.SHEET).for_listing()
    opendata.write_xlsx(search.year, programs, stream)
    return _download(stream.getvalue(), XLSX_TYPE, search, "xlsx")
