"""/admin/programs/plan/import/: upload a yearly sheet, preview, confirm.

1. The form takes the file and, if the sheet's title should not decide it,
   the year. The file is kept on the server under its SHA-256
   (`programs.uploads`).
2. The preview is the importer's own dry run (`import_plan(dry_run=True)`,
   the report `import_programs --dry-run` prints): nothing is written. It
   lists every problem the command would, and a sheet with problems cannot be
   confirmed. The year can be changed there and the same file read again.
3. The button named `confirm` applies that very file, if neither it nor any
   year it touches changed since the preview; a year not yet published stays
   (or becomes) a draft. The kept file is deleted after.
"""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from programs import uploads
from programs.plan_import import ImportFailed, import_plan
from programs.uploads import Preview, UploadRefused

log = logging.getLogger("portal.import")

KEEP, REMOVE = "keep", "remove"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="계획표 파일(.xlsx)",
        help_text="센터가 쓰는 연간 추진일정 엑셀 파일. 올리기만 해서는 아무것도 바뀌지 않습니다.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument"}
        ),
    )
    year = forms.IntegerField(
        label="사업연도",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="비워 두면 계획표 제목의 ‘2019년 …’에서 읽습니다. 적으면 그 연도로 가져옵니다.",
    )


class YearForm(forms.Form):
    """The year on the preview page: the same file read as another year."""

    year = forms.IntegerField(label="사업연도", min_value=2000, max_value=2100)


def import_plan_view(request, model_admin):
    if request.method == "POST" and "token" in request.POST:
        return _after_preview(request, model_admin)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            kept = uploads.keep(form.cleaned_data["file"])
        except UploadRefused as refused:
            form.add_error("file", str(refused))
        else:
            return _preview(request, model_admin, kept, form.cleaned_data["year"])
    return _render(request, model_admin, "import.html", {"form": form})


def _render(request, model_admin, template: str, context: dict):
    base = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "연간 계획 엑셀 올리기",
        "max_size": uploads.file_size(settings.PLAN_UPLOAD_MAX_BYTES),
    }
    return TemplateResponse(request, f"admin/programs/plan/{template}", {**base, **context})


def _preview(request, model_admin, kept, year, *, problem: str = ""):
    """The dry run of a kept file: what confirming would do, or every problem
    that keeps it from being applied."""
    report, errors = None, []
    try:
        report = import_plan(kept.path, year=year, dry_run=True, draft=True, display_name=kept.name)
    except ImportFailed as failure:
        errors = failure.errors
    years = report.years if report else []
    versions = {year_report.year: year_report.plan_version for year_report in years}
    read_as = year or (years[0].year if len(years) == 1 else None)
    context = {
        "upload": kept,
        "report": report,
        "errors": errors,
        "problem": problem,
        # Errors or not, the same file can be read again as another year.
        "token": uploads.preview_token(Preview(kept, year, versions)),
        "year_form": YearForm(initial={"year": read_as}),
        "missing_total": sum(len(year_report.missing) for year_report in years),
        "keep": KEEP,
        "remove": REMOVE,
    }
    return _render(request, model_admin, "preview.html", context)


def _after_preview(request, model_admin):
    """The preview page's buttons: read again as another year, or confirm."""
    try:
        preview = uploads.read_token(request.POST["token"])
    except UploadRefused as refused:
        return _start_again(request, model_admin, str(refused))
    if "confirm" not in request.POST:
        year_form = YearForm(request.POST)
        year = year_form.cleaned_data["year"] if year_form.is_valid() else preview.year
        return _preview(request, model_admin, preview.upload, year)
    return _confirm(request, model_admin, preview)


def _start_again(request, model_admin, problem: str):
    """The upload form, saying why the last step could not go on."""
    context = {"form": UploadForm(), "problem": problem}
    return _render(request, model_admin, "import.html", context)


def _confirm(request, model_admin, preview: Preview):
    kept = preview.upload
    if uploads.file_changed(preview):
        uploads.discard(kept)
        problem = f"{kept.name}: 서버에 둔 파일이 미리본 파일과 다릅니다 (expected 다시 올리기)"
        return _start_again(request, model_admin, problem)
    changed = uploads.changed_years(preview)
    if changed:
        years = ", ".join(f"{year}년" for year in changed)
        problem = (
            f"반영하지 않았습니다: 미리보기 뒤에 {years} 계획이 바뀌었습니다(다른 사람이 "
            "가져오거나 고침). 아래는 지금 데이터로 다시 만든 미리보기입니다. 확인한 뒤 "
            "다시 반영하세요."
        )
        return _preview(request, model_admin, kept, preview.year, problem=problem)
    prune = request.POST.get("missing") == REMOVE
    try:
        report = import_plan(
            kept.path,
            year=preview.year,
            prune=prune,
            draft=True,
            display_name=kept.name,
            expected_versions=preview.versions,
        )
    except ImportFailed as failure:
        return _preview(request, model_admin, kept, preview.year, problem=failure.errors[0])
    uploads.discard(kept)
    _log(request, report, prune)
    for year_report in report.years:
        messages.success(request, _done_message(year_report))
    return HttpResponseRedirect(reverse("admin:programs_plan_changelist"))


def _done_message(year_report) -> str:
    counts = (
        f"추가 {len(year_report.created)}, 변경 {len(year_report.updated)}, "
        f"그대로 {len(year_report.unchanged)}"
    )
    if year_report.pruned:
        counts += f", 삭제 {len(year_report.pruned)}"
    elif year_report.missing:
        counts += f", 시트에 없어 남겨 둠 {len(year_report.missing)}"
    state = "공개 중" if year_report.published else "미공개 초안"
    return f"{year_report.year}년 계획에 반영했습니다({state}): {counts}."


def _log(request, report, prune: bool) -> None:
    log.info(
        "import ok user=%s via=admin file=%s sha256=%s prune=%s %s",
        request.user.get_username(),
        report.file_name,
        report.sha256,
        prune,
        report.log_counts,
    )
