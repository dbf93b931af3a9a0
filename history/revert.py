"""Undo one import run: what it added goes, what it changed gets its earlier
values, what it pruned comes back with its milestones, desks, tags and the text
staff wrote.

Every row the run wrote carries the run; for each object it touched, the state
to go back to is the object's last row before the run's first row for it (none:
the run created it, so it goes). If anything the run touched was changed again
afterwards, by hand or by a later run, the revert is refused and those changes
are listed, unless forced, which overwrites them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from history.models import ImportRun
from history.restore import RestoreRefused, _apply
from history.states import ORDER, Applied, State, describe_object, history_of, key_of, values_of

CHUNK = 500


@dataclass
class RevertPlan:
    run: ImportRun
    target: State = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)


def _rows_of(model, run: ImportRun):
    pk = model._meta.pk.attname
    run_rows = list(history_of(model).objects.filter(import_run=run).order_by())
    touched = sorted({getattr(row, pk) for row in run_rows})
    others = []
    for start in range(0, len(touched), CHUNK):
        others += list(
            history_of(model)
            .objects.filter(Q(**{f"{pk}__in": touched[start : start + CHUNK]}))
            .exclude(import_run=run)
            .select_related("history_user", "import_run")
            .order_by()
        )
    return run_rows, others


def _when(row) -> tuple:
    return row.history_date, row.history_id


def _conflict(model, row) -> str:
    who = row.history_user.get_username() if row.history_user else ""
    if not who and row.import_run_id:
        who = f"가져오기 #{row.import_run_id}"
    verb = {"+": "만듦", "~": "고침", "-": "지움"}[row.history_type]
    when = timezone.localtime(row.history_date).strftime("%Y-%m-%d %H:%M")
    return f"{describe_object(model, row.instance)}: {when} {who or '누군가'} {verb}"


def plan_revert(run: ImportRun) -> RevertPlan:
    if run.dry_run:
        raise RestoreRefused(f"가져오기 #{run.pk}는 시험 실행이라 바꾼 것이 없습니다.")
    if run.reverted_at:
        when = timezone.localtime(run.reverted_at).strftime("%Y-%m-%d %H:%M")
        raise RestoreRefused(f"가져오기 #{run.pk}는 이미 되돌렸습니다 ({when}).")
    plan = RevertPlan(run)
    for model in ORDER:
        run_rows, others = _rows_of(model, run)
        first, last = {}, {}
        for row in run_rows:
            key = key_of(row)
            first[key] = min(first.get(key, _when(row)), _when(row))
            last[key] = max(last.get(key, _when(row)), _when(row))
        before: dict = {}
        for row in sorted(others, key=_when):
            key = key_of(row)
            if _when(row) < first[key]:
                before[key] = row
            elif _when(row) > last[key]:
                plan.conflicts.append(_conflict(model, row))
        for key in first:
            row = before.get(key)
            plan.target[key] = None if row is None or row.history_type == "-" else values_of(row)
    return plan


def revert_run(run: ImportRun, *, user=None, user_name: str = "", force: bool = False) -> Applied:
    """Undo the run; RestoreRefused (nothing changed) when it cannot or may not."""
    plan = plan_revert(run)
    if plan.conflicts and not force:
        raise RestoreRefused(
            f"가져오기 #{run.pk} 뒤에 바뀐 것이 있어 되돌리지 않았습니다 "
            f"(덮어쓰려면 --force):\n" + "\n".join(f"  {line}" for line in plan.conflicts)
        )
    with transaction.atomic():
        applied = _apply(plan.target, f"가져오기 #{run.pk} 되돌림", user)
        run.reverted_at = timezone.now()
        run.reverted_by = (user.get_username() if user else user_name)[:150]
        run.save(update_fields=["reverted_at", "reverted_by"])
    return applied
