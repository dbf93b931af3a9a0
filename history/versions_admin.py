"""History pages added to the admins of other apps, without those apps knowing:
`history.admin` re-registers the Program and Plan admins with these mixins.

- A program's "기록" page lists its versions, newest first, each change written
  old → new in plain Korean; any earlier version can be restored after a
  confirmation page that says what will change.
- Deleting a plan year asks for confirmation naming what goes with it, and is
  recorded as one change, so "삭제된 연도" can bring it all back.
- Plans, sections, areas, desks and tags get a "기록" page of their own rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from contacts.phones import display_phone
from history.restore import RestoreRefused, delete_year, restore_version, year_contents
from history.states import history_of
from history.timeline import (
    NOTHING,
    Change,
    ProgramHistory,
    Version,
    changes,
    facts,
    names_for,
)
from programs.models import Program


@dataclass
class Entry:
    version: Version
    kind: str  # created | changed | deleted
    lines: list[Change]
    restorable: bool
    slug: str


def _slug(version: Version) -> str:
    return f"{version.model_label}-{version.history_id}"


def program_entries(history: ProgramHistory) -> list[Entry]:
    """The versions a person would call changes, newest first."""
    names = names_for(history)
    versions = history.versions()
    entries = []
    for number, version in enumerate(versions):
        existed, exists = version.program_exists("before"), version.program_exists("after")
        lines = changes(
            facts(version.before, public=False, names=names),
            facts(version.after, public=False, names=names),
        )
        kind = "changed" if existed and exists else "created" if exists else "deleted"
        if kind == "changed" and not lines:
            continue  # saved without changing anything a person reads
        latest = number == len(versions) - 1
        entries.append(Entry(version, kind, lines, exists and not latest, _slug(version)))
    entries.reverse()
    return entries


class ProgramVersionsMixin:
    """The program admin's "기록" page, from the historical rows."""

    def get_urls(self):
        restore = self.admin_site.admin_view(self.restore_version_view)
        return [
            path(
                "<int:object_id>/history/<slug:version>/restore/",
                restore,
                name="programs_program_restore_version",
            ),
            *super().get_urls(),
        ]

    def _history_context(self, request, object_id: str):
        if not object_id.isdigit():
            raise Http404
        program = Program.objects.filter(pk=object_id).first()
        if not self.has_view_or_change_permission(request, program):
            raise PermissionDenied
        history = ProgramHistory(int(object_id))
        if program is None and not history.rows:
            raise Http404
        return program, history

    def history_view(self, request, object_id, extra_context=None):
        program, history = self._history_context(request, object_id)
        entries = program_entries(history)
        name = program.name if program else _last_name(history)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"‘{name}’ 변경 이력",
            "program": program,
            "program_id": history.program_id,
            "entries": entries,
            "may_restore": self.has_change_permission(request, program),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/history/program_history.html", context)

    def restore_version_view(self, request, object_id, version):
        program, history = self._history_context(request, str(object_id))
        if not self.has_change_permission(request, program) or not (
            program or self.has_add_permission(request)
        ):
            raise PermissionDenied
        entry = next((e for e in program_entries(history) if e.slug == version), None)
        if entry is None or not entry.restorable:
            raise Http404
        history_url = reverse("admin:programs_program_history", args=[history.program_id])
        if request.method == "POST":
            try:
                restore_version(history.program_id, entry.version.moment, user=request.user)
            except RestoreRefused as refused:
                messages.error(request, str(refused))
                return HttpResponseRedirect(history_url)
            messages.success(request, "선택한 버전으로 되돌렸습니다. 이 되돌림도 이력에 남습니다.")
            return HttpResponseRedirect(history_url)
        names = names_for(history)
        current = history.versions()[-1].after
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "이 버전으로 되돌릴까요?",
            "program": program,
            "entry": entry,
            "lines": changes(
                facts(current, public=False, names=names),
                facts(entry.version.after, public=False, names=names),
            ),
            "history_url": history_url,
        }
        return TemplateResponse(request, "admin/history/restore_version.html", context)


def _last_name(history: ProgramHistory) -> str:
    own = [row for row in history.rows if row.instance_type is Program]
    return own[-1].name if own else str(history.program_id)


class PlanDeletionMixin:
    """Deleting a year names what goes with it and is recorded as one change."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one year at a time, with its own page
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        plan = self.get_object(request, object_id)
        if plan is None:
            raise Http404
        if not self.has_delete_permission(request, plan):
            raise PermissionDenied
        if request.method == "POST":
            count = delete_year(plan, user=request.user)
            messages.success(
                request,
                f"{plan.year}년 계획과 사업 {count}개를 지웠습니다. "
                "‘삭제된 연도’에서 되살릴 수 있습니다.",
            )
            return HttpResponseRedirect(reverse("admin:programs_plan_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{plan.year}년 계획을 지울까요?",
            "plan": plan,
            "contents": year_contents(plan),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/history/delete_year.html", context)


# --- any other tracked model: its rows, field by field -----------------------------------
_SHOWN = {"phone": display_phone}


def _shown(field, value, related: dict) -> str:
    if value in (None, ""):
        return NOTHING
    if field.name in _SHOWN:
        return _SHOWN[field.name](value) or str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if field.is_relation:
        key = (field.related_model, value)
        if key not in related:
            found = field.related_model._base_manager.filter(pk=value).first()
            related[key] = str(found) if found else f"번호 {value}"
        return related[key]
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def field_entries(model, pk) -> list[Entry]:
    """Every recorded change of one object, newest first, field by field."""
    rows = list(
        history_of(model)
        .objects.filter(**{model._meta.pk.attname: pk})
        .select_related("history_user", "import_run__user")
        .order_by("history_date", "history_id")
    )
    fields = [f for f in rows[0].tracked_fields if f.editable and not f.primary_key] if rows else []
    related: dict = {}
    entries, before = [], {}
    for row in rows:
        after = {} if row.history_type == "-" else {
            f.verbose_name: _shown(f, getattr(row, f.attname), related) for f in fields
        }  # fmt: skip
        kind = {"+": "created", "-": "deleted"}.get(row.history_type, "changed")
        lines = changes(before, after)
        if kind != "changed" or lines:
            version = Version(row.history_id, row.history_date, row.history_date, rows=[row])
            entries.append(Entry(version, kind, lines, False, str(row.history_id)))
        before = after
    entries.reverse()
    return entries


class FieldHistoryMixin:
    """The "기록" page of a plan, section, area, desk or tag, from its historical rows."""

    def history_view(self, request, object_id, extra_context=None):
        obj = self.model._base_manager.filter(pk=object_id).first() if object_id.isdigit() else None
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        entries = field_entries(self.model, object_id) if object_id.isdigit() else []
        if obj is None and not entries:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"‘{obj or object_id}’ 변경 이력",
            "object": obj,
            "entries": entries,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/history/object_history.html", context)
