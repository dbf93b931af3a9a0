"""An import as history sees it: one `ImportRun`, and a historical row for
every row the importer writes, stamped with that run.

The importer (programs.plan_import) and the rollover call `programs.write_log`
at their bulk writes; this module is the listener connected there. Its deletes (milestones
replaced, programs pruned) send Django's signals, which simple-history records
under the same run through `history.context`. A re-import of an unchanged sheet
writes nothing, so it leaves no historical row, only its run.
"""

from __future__ import annotations

import getpass
import os
from contextlib import contextmanager

from simple_history.models import HistoricalRecords

from history.context import record_bulk, record_deleted, scope
from history.models import ImportRun
from programs.models import Plan


def _who():
    """(the account, a name): the admin user, else the operating-system user."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user, user.get_username()
    try:
        return None, getattr(user, "username", "") or getpass.getuser()
    except (OSError, KeyError):  # no passwd entry, as in some containers
        return None, f"uid {os.getuid()}"


def _count(run: ImportRun, report) -> None:
    years = report.years
    run.years = ", ".join(str(year.year) for year in years)[:100]
    run.added = sum(len(year.created) for year in years)
    run.changed = sum(len(year.updated) for year in years)
    run.unchanged = sum(len(year.unchanged) for year in years)
    run.pruned = sum(len(year.pruned) for year in years)


class ImportRecorder:
    @contextmanager
    def import_run(self, report, *, prune: bool):
        user, name = _who()
        run = ImportRun(
            file_name=report.file_name[:255],
            sha256=report.sha256,
            user=user,
            user_name=name[:150],
            dry_run=report.dry_run,
            prune=prune,
        )
        if report.dry_run:
            yield
            _count(run, report)
            run.save()
            return
        # The run is saved when its first row is written (history.context), so
        # an import that changes nothing costs one INSERT for its record.
        with scope(user=user, run=run, change_set=run.change_set):
            yield
            self._record_plans(report)
        _count(run, report)
        run.save()

    @contextmanager
    def change(self, reason: str):
        user, _ = _who()
        with scope(reason, user=user):
            yield

    def written(self, objects, *, update: bool) -> None:
        objects = list(objects)
        if objects:
            # Copied from the table as stored, so what staff wrote (사업 소개,
            # 안내 링크), which the importer's scratch instances lack, is kept.
            record_bulk(type(objects[0]), objects, update=update)

    def deleting(self, queryset) -> None:
        # Other models' deletes send signals, which simple-history records.
        if queryset.model._meta.auto_created:
            record_deleted(queryset.model, queryset)

    @staticmethod
    def _record_plans(report) -> None:
        """The plans of the years this run changed, as it left them (title,
        source file), written after the importer's last queryset update."""
        years = [year.year for year in report.years if year.changed]
        record_bulk(Plan, list(Plan.objects.filter(year__in=years)), update=True)


recorder = ImportRecorder()
