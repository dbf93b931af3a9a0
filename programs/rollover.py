"""Start next year's plan from this year's: `rollover_plan 2019 --to 2020` and
the admin action on the plan list.

The copy is a draft, so nobody outside the centers sees it before it is
checked and published. Sections, areas, programs (with their eligibility tags
and contact desks) and milestones come across as they are; a milestone's exact
dates are read again from its label in the new year ("상담회 (2.27-28)"), so a
day that the new year lacks (2월 29일) is left without a date. Amounts are kept
but marked unconfirmed (`Program.amounts_confirmed`) until a sheet or an editor
states the new year's. 안내 링크 (last year's call for applications) stays
behind; 사업 소개 comes along.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction

from programs import write_log
from programs.models import Plan, Program, ProgramContact, Section, SupportArea
from programs.versions import bumps_coalesced
from schedules.models import Milestone

COPIED_FIELDS = [
    "name",
    "position",
    "target",
    "summary",
    "search_text",
    *(f"{prefix}_{name}" for prefix in ("budget", "per_company") for name in (
        "text", "won", "values", "is_max", "is_approx", "per", "quantity", "unit", "undecided"
    )),
]  # fmt: skip


class RolloverRefused(Exception):
    """Nothing was copied; the message says why, in Korean."""


@dataclass
class RolloverReport:
    source: int
    target: int
    sections: int = 0
    areas: int = 0
    programs: int = 0
    milestones: int = 0
    replaced: int = 0  # programs of the target year deleted first (--replace)
    lost_dates: list[str] = field(default_factory=list)  # "사업명: 상담회 (2.29)"

    @property
    def summary(self) -> str:
        line = (
            f"{self.source}년 계획을 {self.target}년 미공개 초안으로 복사했습니다: "
            f"구분 {self.sections}개, 지원분야 {self.areas}개, 사업 {self.programs}개, "
            f"추진일정 {self.milestones}개"
        )
        if self.replaced:
            line += f" (있던 사업 {self.replaced}개는 지웠습니다)"
        return line + ". 금액은 확인 전으로 표시했습니다."


def check_rollover(source: int, target: int, *, replace: bool = False) -> Plan:
    """The source plan, or RolloverRefused saying why the copy cannot be made."""
    plan = Plan.objects.filter(year=source).first()
    if plan is None:
        raise RolloverRefused(f"{source}년 계획이 없습니다 (expected 가져온 연도)")
    if not 2000 <= target <= 2100:
        raise RolloverRefused(f"--to {target}: expected 2000~2100 사이의 연도")
    if target == source:
        raise RolloverRefused(f"--to {target}: 복사할 연도와 같습니다 (expected 다른 연도)")
    existing = Program.objects.for_year(target).count()
    if existing and not replace:
        raise RolloverRefused(
            f"{target}년 계획에 이미 사업이 {existing}개 있어 복사하지 않았습니다 "
            "(expected 비어 있는 연도, 또는 --replace로 지우고 복사)"
        )
    return plan


def rollover(source: int, target: int, *, replace: bool = False) -> RolloverReport:
    """Copy `source` into a draft `target`, all or nothing."""
    plan = check_rollover(source, target, replace=replace)
    report = RolloverReport(source, target)
    reason = f"{source}년 계획을 {target}년으로 복사"  # what history calls this change
    with transaction.atomic(), bumps_coalesced(), write_log.change(reason):
        report.replaced = _clear(target) if replace else 0
        Plan.objects.update_or_create(
            year=target,
            defaults={
                "title": _retitled(plan.title, source, target),
                "state": Plan.State.DRAFT,
                "published_at": None,
                "published_by": None,
            },
        )
        sections = _copy_sections(source, target, report)
        areas = _copy_areas(source, target, sections, report)
        programs = _copy_programs(source, areas, report)
        _copy_links(source, programs)
        _copy_milestones(source, target, programs, report)
    return report


def _retitled(title: str, source: int, target: int) -> str:
    return re.sub(rf"(?<!\d){source}(?!\d)", str(target), title)


def _clear(year: int) -> int:
    """Empty a year before copying into it; returns how many programs went."""
    deleted = Program.objects.for_year(year).count()
    Program.objects.for_year(year).delete()
    SupportArea.objects.filter(plan_id=year).delete()
    Section.objects.filter(plan_id=year).delete()
    return deleted


def _copy_sections(source: int, target: int, report: RolloverReport) -> dict[int, Section]:
    old = list(Section.objects.filter(plan_id=source))
    existing = {s.name: s for s in Section.objects.filter(plan_id=target)}
    new = {}
    for section in old:
        copy = existing.get(section.name) or Section(
            plan_id=target, name=section.name, position=section.position
        )
        new[section.pk] = copy
    write_log.written(Section.objects.bulk_create([s for s in new.values() if s.pk is None]))
    report.sections = len(new)
    return new


def _copy_areas(source, target, sections, report: RolloverReport) -> dict[int, SupportArea]:
    old = list(SupportArea.objects.filter(plan_id=source))
    existing = {a.name: a for a in SupportArea.objects.filter(plan_id=target)}
    new = {}
    for area in old:
        copy = existing.get(area.name) or SupportArea(
            plan_id=target,
            section=sections[area.section_id],
            name=area.name,
            position=area.position,
        )
        new[area.pk] = copy
    write_log.written(SupportArea.objects.bulk_create([a for a in new.values() if a.pk is None]))
    report.areas = len(new)
    return new


def _copy_programs(source, areas, report: RolloverReport) -> dict[int, Program]:
    """The new programs by the id of the program each copies."""
    old = Program.objects.for_year(source).values("pk", "area_id", *COPIED_FIELDS)
    new = {}
    for values in old:
        pk, area_id = values.pop("pk"), values.pop("area_id")
        new[pk] = Program(area=areas[area_id], amounts_confirmed=False, **values)
    write_log.written(Program.objects.bulk_create(new.values(), batch_size=500))
    report.programs = len(new)
    return new


def _copy_links(source: int, programs: dict[int, Program]) -> None:
    contacts = ProgramContact.objects.filter(program__area__plan_id=source).values_list(
        "program_id", "desk_id", "position"
    )
    links = ProgramContact.objects.bulk_create(
        [
            ProgramContact(program=programs[old], desk_id=desk, position=position)
            for old, desk, position in contacts
        ],
        batch_size=1000,
    )
    write_log.written(links)
    through = Program.eligibility.through
    tags = through.objects.filter(program__area__plan_id=source).values_list(
        "program_id", "eligibility_id"
    )
    new_tags = through.objects.bulk_create(
        [through(program_id=programs[old].pk, eligibility_id=tag) for old, tag in tags],
        batch_size=1000,
    )
    write_log.written(new_tags)


def _copy_milestones(source, target, programs, report: RolloverReport) -> None:
    rows = Milestone.objects.for_year(source).values_list(
        "program_id", "label", "start_month", "end_month", "start_date"
    )
    copies = []
    for old, label, start, end, old_start_date in rows:
        milestone = Milestone(program=programs[old], label=label, start_month=start, end_month=end)
        milestone.derive_from_label(target)
        if old_start_date is not None and milestone.start_date is None:
            report.lost_dates.append(f"{programs[old].name}: {label}")
        copies.append(milestone)
    write_log.written(Milestone.objects.bulk_create(copies, batch_size=1000))
    report.milestones = len(copies)
