"""Bring back what was: an earlier version of a program, a deleted program,
a deleted plan year. Each restore is one recorded change, so it can itself be
seen in the history and undone.

A program comes back with everything it had at that moment: its fields (the
summary and link staff wrote too), eligibility tags, milestones and contact
links, and, when they are gone as well, its desks, support area, section and
plan. Desks that still exist are left as they are now: they are shared.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from contacts.models import ContactDesk
from history.context import scope
from history.models import DeletedPlan, HistoricalPlan
from history.states import EPSILON, ORDER, Applied, State, apply, as_of, history_of
from history.timeline import ProgramHistory
from programs.models import Plan, Program, ProgramContact, Section, SupportArea
from programs.versions import bumps_coalesced
from schedules.models import Milestone


class RestoreRefused(Exception):
    """Nothing was changed; the message says why, in Korean."""


def _latest_values(model, pk, moment) -> dict | None:
    """The object as it stood at `moment`, or as it last existed."""
    rows = history_of(model).objects.filter(**{model._meta.pk.attname: pk})
    row = rows.filter(history_date__lte=moment).exclude(history_type="-").first()
    row = row or rows.exclude(history_type="-").first()
    return None if row is None else {f.attname: getattr(row, f.attname) for f in row.tracked_fields}


def _missing_parents(area_id: int, moment) -> State:
    """The support area, section and plan a restored program needs, when gone."""
    target: State = {}
    if SupportArea.objects.filter(pk=area_id).exists():
        return target
    area = _latest_values(SupportArea, area_id, moment)
    if area is None:
        raise RestoreRefused(f"지원분야(번호 {area_id})의 기록이 없어 되살릴 수 없습니다.")
    target[(SupportArea, area_id)] = area
    if not Section.objects.filter(pk=area["section_id"]).exists():
        section = _latest_values(Section, area["section_id"], moment)
        if section is None:
            raise RestoreRefused(f"구분(번호 {area['section_id']})의 기록이 없습니다.")
        target[(Section, area["section_id"])] = section
    if not Plan.objects.filter(pk=area["plan_id"]).exists():
        plan = _latest_values(Plan, area["plan_id"], moment)
        if plan is None:
            raise RestoreRefused(f"{area['plan_id']}년 계획의 기록이 없습니다.")
        target[(Plan, area["plan_id"])] = plan
    return target


def program_target(history: ProgramHistory, moment) -> State:
    """The program and its rows as at `moment`; missing desks and parents too."""
    state = history.state_at(moment)
    program = state.get((Program, history.program_id))
    if program is None:
        raise RestoreRefused("그 시점에는 이 사업이 없었습니다.")
    target = {key: values for key, values in state.items() if key[0] is not ContactDesk}
    links = [values for (m, _), values in state.items() if m is ProgramContact and values]
    needed = {link["desk_id"] for link in links}
    present = set(ContactDesk.objects.filter(pk__in=needed).values_list("pk", flat=True))
    for desk_id in needed - present:
        target[(ContactDesk, desk_id)] = state.get((ContactDesk, desk_id)) or _latest_values(
            ContactDesk, desk_id, moment
        )
    target.update(_missing_parents(program["area_id"], moment))
    _check_name_is_free(program)
    return target


def _check_name_is_free(program: dict) -> None:
    clash = (
        Program.objects.filter(area_id=program["area_id"], name=program["name"])
        .exclude(pk=program["id"])
        .first()
    )
    if clash:
        raise RestoreRefused(
            f"같은 지원분야에 같은 이름의 사업 ‘{clash.name}’(번호 {clash.pk})이 이미 있습니다. "
            "그 사업의 이름을 바꾸거나 지운 뒤 다시 되살리세요."
        )


def _apply(target: State, reason: str, user) -> Applied:
    try:
        return apply(target, reason=reason, user=user)
    except IntegrityError as exc:
        raise RestoreRefused(f"데이터베이스가 되살리기를 거부했습니다: {exc}") from None


def restore_version(program_id: int, moment, *, user=None, label: str = "") -> Applied:
    """Put the program back as it was at `moment` (the end of a version)."""
    history = ProgramHistory(program_id)
    target = program_target(history, moment)
    when = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return _apply(target, label or f"{when} 버전으로 되돌림", user)


def restore_deleted_program(program_id: int, *, user=None) -> Applied:
    if Program.objects.filter(pk=program_id).exists():
        raise RestoreRefused("이 사업은 지워지지 않았습니다.")
    history = ProgramHistory(program_id)
    moment = history.deletion_moment()
    if moment is None:
        raise RestoreRefused("이 사업이 지워진 기록이 없습니다.")
    return _apply(program_target(history, moment), "삭제된 사업 되살림", user)


def deleted_programs():
    """The last row of every program that no longer exists, newest first."""
    from history.models import DeletedProgram

    deletions = Program.history.filter(history_type="-").latest_of_each()
    return DeletedProgram.objects.filter(history_id__in=deletions.values("history_id")).exclude(
        id__in=Program.objects.values("pk")
    )


# --- a whole plan year -------------------------------------------------------------


def year_contents(plan: Plan) -> dict[str, int]:
    """What deleting the year takes with it, to name on the confirmation page."""
    programs = Program.objects.for_year(plan.year)
    return {
        "programs": programs.count(),
        "milestones": Milestone.objects.for_year(plan.year).count(),
        "areas": plan.areas.count(),
        "sections": plan.sections.count(),
    }


def delete_year(plan: Plan, *, user=None) -> int:
    """Delete the plan year and every program in it, as one recorded change."""
    with transaction.atomic(), bumps_coalesced(), scope(f"{plan.year}년 계획 삭제", user=user):
        programs = list(Program.objects.for_year(plan.year))
        for program in programs:
            program.delete()
        plan.delete()
    return len(programs)


def deleted_years():
    deletions = Plan.history.filter(history_type="-").latest_of_each()
    return DeletedPlan.objects.filter(history_id__in=deletions.values("history_id")).exclude(
        year__in=Plan.objects.values("year")
    )


def restore_year(year: int, *, user=None) -> Applied:
    """Bring a deleted plan year back as it was just before it was deleted."""
    if Plan.objects.filter(year=year).exists():
        raise RestoreRefused(f"{year}년 계획은 지워지지 않았습니다.")
    deletion = HistoricalPlan.objects.filter(year=year).first()
    if deletion is None or deletion.history_type != "-":
        raise RestoreRefused(f"{year}년 계획이 지워진 기록이 없습니다.")
    moment = _deletion_start(deletion) - EPSILON
    target = as_of(Plan, Q(year=year), moment)
    target |= as_of(Section, Q(plan_id=year), moment)
    areas = as_of(SupportArea, Q(plan_id=year), moment)
    target |= areas
    area_ids = [pk for (_, pk), values in areas.items() if values]
    programs = as_of(Program, Q(area_id__in=area_ids), moment)
    for (_, program_id), values in programs.items():
        if values and not Program.objects.filter(pk=program_id).exists():
            target |= program_target(ProgramHistory(program_id), moment)
    # Rows that only existed before the deletion's moment play no part.
    target = {key: values for key, values in target.items() if values is not None}
    return _apply(target, f"{year}년 계획 되살림", user)


def _deletion_start(deletion) -> object:
    """When the change that deleted this row began (its first row)."""
    if deletion.change_set is None:
        return deletion.history_date
    first = deletion.history_date
    for model in ORDER:
        row = (
            history_of(model)
            .objects.filter(change_set=deletion.change_set)
            .order_by("history_date")
            .first()
        )
        if row and row.history_date < first:
            first = row.history_date
    return first
