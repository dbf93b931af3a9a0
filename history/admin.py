"""The admin of history: import runs (and undoing one), deleted programs and
deleted plan years (and bringing them back), and the history pages added to
the program and plan admins (`history.versions_admin`).

Who may do what follows the permissions staff already have: seeing runs and
undoing one needs "연간 계획 가져오기" (programs.import_plan); seeing deleted
programs needs the right to view programs and bringing one back the right to
add them; deleted years likewise with plans.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from contacts.models import ContactDesk
from history.models import DeletedPlan, DeletedProgram, ImportRun
from history.restore import (
    RestoreRefused,
    deleted_programs,
    deleted_years,
    restore_deleted_program,
    restore_year,
)
from history.revert import plan_revert, revert_run
from history.states import ORDER, history_of
from history.timeline import ProgramHistory
from history.versions_admin import FieldHistoryMixin, PlanDeletionMixin, ProgramVersionsMixin
from programs.models import Eligibility, Plan, Program, Section, SupportArea

IMPORT_PERMISSION = "programs.import_plan"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["number", "when", "file_name", "years", "counts", "who", "state"]
    list_display_links = ["number", "when"]
    list_filter = ["dry_run", "years"]
    search_fields = ["file_name", "sha256", "user_name"]
    actions = ["revert_runs"]
    fields = ["file_name", "sha256", "years", "when", "who", "state", "counts", "rows_written"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_revert_permission(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def changelist_view(self, request, extra_context=None):
        title = {"title": "가져오기 기록 (최근 것부터)", **(extra_context or {})}
        return super().changelist_view(request, extra_context=title)

    @admin.display(description="번호", ordering="pk")
    def number(self, run):
        return f"#{run.pk}"

    @admin.display(description="가져온 시각", ordering="started_at")
    def when(self, run):
        return _local(run.started_at)

    @admin.display(description="추가 ~변경 -삭제")
    def counts(self, run):
        return run.counts

    @admin.display(description="가져온 사람")
    def who(self, run):
        return run.who

    @admin.display(description="상태")
    def state(self, run):
        if run.dry_run:
            return "시험 실행 (저장 안 함)"
        if run.reverted_at:
            return f"되돌림 ({_local(run.reverted_at)}, {run.reverted_by or '-'})"
        return "저장함"

    @admin.display(description="이 가져오기가 남긴 기록")
    def rows_written(self, run):
        """How many rows of each kind it wrote, and the programs it touched."""
        counts = []
        for model in ORDER:
            rows = history_of(model).objects.filter(import_run=run)
            kinds = Counter(rows.values_list("history_type", flat=True))
            if kinds:
                counts.append((model._meta.verbose_name, kinds["+"], kinds["~"], kinds["-"]))
        if not counts:
            return "없음 (바뀐 것이 없었습니다)"
        programs = (
            history_of(Program)
            .objects.filter(import_run=run)
            .order_by("name")
            .values_list("id", "name", "history_type")
        )
        verbs = {"+": "추가", "~": "변경", "-": "삭제"}
        return format_html(
            "<ul>{}</ul><ul>{}</ul>",
            format_html_join("", "<li>{}: 추가 {} · 변경 {} · 삭제 {}</li>", counts),
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (reverse("admin:programs_program_history", args=[pk]), name, verbs[kind])
                    for pk, name, kind in programs
                ),
            ),
        )

    @admin.action(description="선택한 가져오기 되돌리기")
    def revert_runs(self, request, queryset):
        if not self.has_revert_permission(request):
            raise PermissionDenied
        runs = list(queryset)
        if len(runs) != 1:
            messages.error(request, "가져오기는 하나씩 되돌립니다. 하나만 고르세요.")
            return None
        run = runs[0]
        try:
            plan = plan_revert(run)
        except RestoreRefused as refused:
            messages.error(request, str(refused))
            return None
        if request.POST.get("post") == "yes":
            return self._revert(request, run, force=request.POST.get("force") == "on")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"가져오기 #{run.pk}를 되돌릴까요?",
            "run": run,
            "summary": _revert_summary(plan.target),
            "conflicts": plan.conflicts,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/history/revert_run.html", context)

    def _revert(self, request, run, *, force: bool):
        try:
            applied = revert_run(run, user=request.user, force=force)
        except RestoreRefused as refused:
            messages.error(request, str(refused))
            return None
        text = (
            f"가져오기 #{run.pk}를 되돌렸습니다: 되살림 {applied.created} · "
            f"되돌림 {applied.changed} · 지움 {applied.deleted}"
        )
        if applied.kept:
            text += f" (다른 곳에서 쓰여 남겨 둔 것: {', '.join(applied.kept)})"
        messages.success(request, text)
        return None


def _revert_summary(target) -> dict[str, int]:
    """Programs the revert removes, brings back and changes back."""
    wanted = {pk: values for (model, pk), values in target.items() if model is Program}
    present = set(Program.objects.filter(pk__in=list(wanted)).values_list("pk", flat=True))
    return {
        "removed": sum(1 for pk, values in wanted.items() if values is None and pk in present),
        "restored": sum(1 for pk, values in wanted.items() if values and pk not in present),
        "changed": sum(1 for pk, values in wanted.items() if values and pk in present),
    }


class DeletedAdmin(ReadOnlyAdmin):
    """A list of what no longer exists, each with a page to bring it back."""

    restore_permission = ""
    view_permission = ""
    # What lists the rows (a function of history.restore), and the row's field
    # that names it in its restore page's URL; `restore_page` shows that page.
    deleted = None
    restore_key = ""

    def get_queryset(self, request):
        return self.deleted().select_related("history_user", "import_run__user")

    def get_urls(self):
        view = self.admin_site.admin_view(self._restore_view)
        return [
            path("<int:key>/restore/", view, name=self._restore_url_name),
            *super().get_urls(),
        ]

    @property
    def _restore_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_restore"

    @admin.display(description="되살리기")
    def restore(self, row):
        url = reverse(f"admin:{self._restore_url_name}", args=[getattr(row, self.restore_key)])
        return format_html('<a href="{}">되살리기…</a>', url)

    def _restore_view(self, request, key):
        row = self.deleted().filter(**{self.restore_key: key}).first()
        if row is None:
            raise Http404
        return self.restore_page(request, row)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.view_permission)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_restore_permission(self, request):
        return request.user.has_perm(self.restore_permission)

    def changelist_view(self, request, extra_context=None):
        title = {"title": self.model._meta.verbose_name_plural, **(extra_context or {})}
        return super().changelist_view(request, extra_context=title)

    @admin.display(description="지운 때", ordering="history_date")
    def deleted_at(self, row):
        return _local(row.history_date)

    @admin.display(description="지운 사람")
    def deleted_by(self, row):
        if row.history_user:
            return row.history_user.get_username()
        if row.import_run_id:
            return f"가져오기 #{row.import_run_id} ({row.import_run.who})"
        return "-"

    @admin.display(description="사유")
    def reason(self, row):
        return row.history_change_reason or "-"

    def _confirm(self, request, *, title, restore, context, done_url):
        if not self.has_restore_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                restore()
            except RestoreRefused as refused:
                messages.error(request, str(refused))
                return HttpResponseRedirect(reverse(self._changelist_url))
            messages.success(request, f"{title}: 되살렸습니다. 이 되살림도 이력에 남습니다.")
            return HttpResponseRedirect(done_url())
        return TemplateResponse(
            request,
            "admin/history/restore_deleted.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"{title}을(를) 되살릴까요?",
                "changelist_url": reverse(self._changelist_url),
                **context,
            },
        )


@admin.register(DeletedProgram)
class DeletedProgramAdmin(DeletedAdmin):
    list_display = ["program", "restore", "year", "area_name", "deleted_at", "deleted_by", "reason"]
    list_display_links = None
    search_fields = ["name"]
    view_permission = "programs.view_program"
    restore_permission = "programs.add_program"
    _changelist_url = "admin:history_deletedprogram_changelist"
    deleted = staticmethod(deleted_programs)
    restore_key = "id"

    def _areas(self, rows):
        ids = {row.area_id for row in rows}
        areas = {a.pk: (a.plan_id, a.name) for a in SupportArea.objects.filter(pk__in=ids)}
        for row in history_of(SupportArea).objects.filter(id__in=ids - set(areas)):
            areas.setdefault(row.id, (row.plan_id, row.name))
        return areas

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        self._area_names = self._areas(changelist.result_list)
        return changelist

    @admin.display(description="사업명", ordering="name")
    def program(self, row):
        """Its history page, which a deleted program keeps."""
        url = reverse("admin:programs_program_history", args=[row.id])
        return format_html('<a href="{}">{}</a>', url, row.name)

    @admin.display(description="연도")
    def year(self, row):
        return self._area_names.get(row.area_id, ("?", ""))[0]

    @admin.display(description="지원분야")
    def area_name(self, row):
        return self._area_names.get(row.area_id, ("", "?"))[1]

    def restore_page(self, request, row):
        program_id = row.id
        history = ProgramHistory(program_id)
        moment = history.deletion_moment()
        state = history.state_at(moment) if moment else {}
        kinds = Counter(model._meta.model_name for (model, _), v in state.items() if v)
        return self._confirm(
            request,
            title=f"사업 ‘{row.name}’",
            restore=lambda: restore_deleted_program(program_id, user=request.user),
            context={
                "row": row,
                "what": [
                    ("추진일정", kinds["milestone"]),
                    ("문의처", kinds["programcontact"]),
                    ("지원대상 유형", kinds["program_eligibility"]),
                ],
                "summary": row.summary,
                "link": row.link,
            },
            done_url=lambda: reverse("admin:programs_program_change", args=[program_id]),
        )


@admin.register(DeletedPlan)
class DeletedPlanAdmin(DeletedAdmin):
    list_display = ["year", "restore", "title", "deleted_at", "deleted_by", "reason"]
    list_display_links = None
    view_permission = "programs.view_plan"
    restore_permission = "programs.add_plan"
    _changelist_url = "admin:history_deletedplan_changelist"
    deleted = staticmethod(deleted_years)
    restore_key = "year"

    def restore_page(self, request, row):
        year = row.year
        programs = (
            history_of(Program).objects.filter(change_set=row.change_set, history_type="-").count()
            if row.change_set
            else 0
        )
        return self._confirm(
            request,
            title=f"{year}년 계획",
            restore=lambda: restore_year(year, user=request.user),
            context={"row": row, "what": [("사업", programs)]},
            done_url=lambda: reverse("admin:programs_plan_changelist"),
        )


def _extend(model, mixin) -> None:
    """Re-register the model's admin (whatever its app made it) with `mixin` first."""
    current = admin.site.get_model_admin(model)
    admin.site.unregister(model)
    admin.site.register(model, type(type(current).__name__, (mixin, type(current)), {}))


_extend(Program, ProgramVersionsMixin)
_extend(Plan, PlanDeletionMixin)
for _model in (Plan, Section, SupportArea, ContactDesk, Eligibility):
    _extend(_model, FieldHistoryMixin)
