"""Open data: the catalogue's filters as JSON, CSV and the importable xlsx."""

import io

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import content_disposition_header

from programs import opendata
from programs.drafts import sees_drafts
from programs.filters import Sort, search_programs
from programs.versions import LISTING_PARAMS, cached_plan_page

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _export_search(request):
    """The exports take the catalogue's filters; a parameter they cannot use is a
    400 naming it, since a program reading the file cannot see a message."""
    search = search_programs(
        request.GET, path=reverse("programs:catalogue"), drafts=sees_drafts(request)
    )
    if search.messages:
        return search, JsonResponse(
            {"error": "invalid parameters", "messages": search.messages},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return search, None


def _download(body: bytes, content_type: str, search, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    filename = f"seoul-social-economy-programs-{search.year or 'none'}.{extension}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@cached_plan_page(params=LISTING_PARAMS)
def programs_json(request):
    search, error = _export_search(request)
    if error:
        return error
    base_url = request.build_absolute_uri("/").rstrip("/")
    data = opendata.plan_to_dict(search.year, search.programs.for_listing(), base_url=base_url)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cached_plan_page(params=LISTING_PARAMS)
def programs_csv(request):
    search, error = _export_search(request)
    if error:
        return error
    stream = io.StringIO()
    base_url = request.build_absolute_uri("/").rstrip("/")
    opendata.write_csv(search.programs.for_listing(), stream, base_url=base_url)
    return _download(stream.getvalue().encode("utf-8"), "text/csv; charset=utf-8", search, "csv")


@cached_plan_page(params=LISTING_PARAMS)
def programs_xlsx(request):
    search, error = _export_search(request)
    if error:
        return error
    if search.year is None:
        raise Http404("등록된 계획이 없습니다.")
    stream = io.BytesIO()
    # The importable layout groups rows by section and area: always sheet order.
    programs = search.filterset.sorted(search.programs, Sort.SHEET).for_listing()
    opendata.write_xlsx(search.year, programs, stream)
    return _download(stream.getvalue(), XLSX_TYPE, search, "xlsx")
