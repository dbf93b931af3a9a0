"""Field-level history of the plan, and the record of every import.

Why django-simple-history: it keeps one historical row per change of each
tracked model, with the row's own columns, so "what was 지원규모 before this
import" is a query on typed columns rather than a diff of stored JSON, and it
runs the same on SQLite and PostgreSQL (plain tables, no triggers). Its
`bulk_history_create` records the importer's bulk writes in bulk, so keeping
history costs the import a few INSERTs per thousand rows; every row carries
`history_user` and `history_change_reason`; deletes are caught by its signals,
and the admin's saves by `HistoryRequestMiddleware`.

Every historical model lives in this app (`app="history"`), registered here
rather than in the tracked apps: programs, schedules and contacts never import
history. (Registering from `HistoryConfig.ready()` would be too late: the admin
discovers `history.admin`, which lists these models, before this app is ready.)

Each historical row also says which import run wrote it (`import_run`) and
which change it belongs to (`change_set`: one admin save, one import, one
restore), so a run links to its rows and a version is all the rows of one change.
"""

import uuid

import simple_history
from django.conf import settings
from django.db import models
from django.utils import timezone

from contacts.models import ContactDesk
from programs.models import Eligibility, Plan, Program, ProgramContact, Section, SupportArea
from schedules.models import Milestone


class ImportRun(models.Model):
    """One run of the importer, from the command line or the admin upload."""

    file_name = models.CharField("파일", max_length=255)
    sha256 = models.CharField("파일 SHA-256", max_length=64)
    years = models.CharField("사업연도", max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="가져온 사람",
    )
    # Who ran it when no account did (the command line's operating-system user).
    user_name = models.CharField("가져온 사람(이름)", max_length=150, blank=True)
    started_at = models.DateTimeField("가져온 시각", default=timezone.now, db_index=True)
    dry_run = models.BooleanField("시험 실행", default=False)
    prune = models.BooleanField("시트에 없는 사업 삭제", default=False)
    added = models.PositiveIntegerField("추가", default=0)
    changed = models.PositiveIntegerField("변경", default=0)
    unchanged = models.PositiveIntegerField("그대로", default=0)
    pruned = models.PositiveIntegerField("삭제", default=0)
    change_set = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reverted_at = models.DateTimeField("되돌린 시각", null=True, blank=True)
    reverted_by = models.CharField("되돌린 사람", max_length=150, blank=True)

    class Meta:
        verbose_name = "가져오기 기록"
        verbose_name_plural = "가져오기 기록"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"#{self.pk} {self.file_name} ({self.years or '-'})"

    @property
    def who(self) -> str:
        return self.user.get_username() if self.user else self.user_name or "-"

    @property
    def counts(self) -> str:
        """ "+3 ~5 -1": added, changed, pruned."""
        return f"+{self.added} ~{self.changed} -{self.pruned}"

    @property
    def line(self) -> str:
        """One line of `import_runs`, beginning with the run's id."""
        when = timezone.localtime(self.started_at).strftime("%Y-%m-%d %H:%M")
        flags = " (시험 실행)" if self.dry_run else ""
        flags += " (되돌림)" if self.reverted_at else ""
        return (
            f"{self.pk}  {when}  {self.file_name}  {self.years or '-'}  "
            f"{self.counts}  {self.who}{flags}"
        )


class HistoryRow(models.Model):
    """What every historical row carries besides simple-history's own columns."""

    import_run = models.ForeignKey(
        ImportRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="가져오기",
    )
    change_set = models.UUIDField("변경 묶음", null=True, blank=True, db_index=True)

    class Meta:
        abstract = True


def _track(model, *, excluded=(), label=None):
    label = label or model._meta.verbose_name
    simple_history.register(
        model,
        app="history",
        bases=[HistoryRow],
        excluded_fields=list(excluded),
        verbose_name=f"{label} 이력",
        verbose_name_plural=f"{label} 이력",
    )


# The plan's content version and the rows' own timestamps change on every write
# and say nothing a person needs; the search text is derived from the rest.
_track(Plan, excluded=["version", "updated_at"])
_track(Section)
_track(SupportArea)
_track(Eligibility)
_track(ContactDesk)
_track(Program, excluded=["search_text", "updated_at"])
_track(Program.eligibility.through, label="사업의 지원대상 유형")
_track(ProgramContact)
_track(Milestone)

HistoricalPlan = Plan.history.model
HistoricalSection = Section.history.model
HistoricalSupportArea = SupportArea.history.model
HistoricalEligibility = Eligibility.history.model
HistoricalContactDesk = ContactDesk.history.model
HistoricalProgram = Program.history.model
HistoricalProgramEligibility = Program.eligibility.through.history.model
HistoricalProgramContact = ProgramContact.history.model
HistoricalMilestone = Milestone.history.model


class DeletedProgram(HistoricalProgram):
    """삭제된 사업: the last row of each program that no longer exists."""

    class Meta:
        proxy = True
        verbose_name = "삭제된 사업"
        verbose_name_plural = "삭제된 사업"


class DeletedPlan(HistoricalPlan):
    """삭제된 연도: the last row of each plan year that no longer exists."""

    class Meta:
        proxy = True
        verbose_name = "삭제된 연도"
        verbose_name_plural = "삭제된 연도"
