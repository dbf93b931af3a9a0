"""The one import service: the yearly Excel sheet into the database.

    report = import_plan(path, year=None, sheet=None, dry_run=False, prune=False)

1. Vet the file before openpyxl sees it (`programs.sheet.vet`).
2. Read every worksheet with the table's header into plain data
   (`programs.sheet.read`), collecting every error with its file, sheet and
   cell before failing.
3. Upsert each year, all years in one transaction: what the database holds
   for the year is loaded in a few queries and compared in memory, so an
   unchanged sheet writes nothing and the number of queries does not grow
   with the number of programs.

Any error raises `ImportFailed` and nothing is written. Programs are matched by
(year, 지원분야, 사업명); what staff write in the admin (사업 소개, 안내 링크) is
never overwritten.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from contacts.models import ContactDesk
from programs import write_log
from programs.eligibility import VOCABULARY, eligibility_codes
from programs.import_report import (
    CREATED,
    MISSING,
    UNCHANGED,
    UPDATED,
    Compared,
    ImportReport,
    ProgramEntry,
    YearReport,
    field_changes,
)
from programs.models import Eligibility, Plan, Program, ProgramContact, Section, SupportArea
from programs.sheet.layout import ImportFailed, ProgramRow, SheetPlan
from programs.sheet.read import read_workbook
from programs.sheet.vet import VettedFile, vet_file
from programs.versions import bumps_coalesced
from schedules.models import Milestone

PROGRAM_FIELDS = [
    "position",
    "target",
    *(f"{prefix}_{name}" for prefix in ("budget", "per_company") for name in (
        "text", "won", "values", "is_max", "is_approx", "per", "quantity", "unit", "undecided"
    )),
    "search_text",
    "amounts_confirmed",  # a sheet states this year's amounts (see programs.rollover)
]  # fmt: skip
CHANGE_LABELS = {
    "position": "순서",
    "target": "지원대상",
    "search_text": None,
    "amounts_confirmed": "금액 확정",
    "milestones": "추진일정",
    "contacts": "문의처",
    "eligibility": "지원대상 유형",
}


def _change_label(name: str) -> str | None:
    if name in CHANGE_LABELS:
        return CHANGE_LABELS[name]
    return "지원규모" if name.startswith("budget_") else "업체평균"


def import_plan(
    path: str | Path,
    *,
    year: int | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    prune: bool = False,
    display_name: str | None = None,
    draft: bool = False,
    expected_versions: dict[int, int | None] | None = None,
) -> ImportReport:
    """Import the sheet; raises ImportFailed (nothing written) on any error.

    Years the import creates are published at once, and drafts it touches are
    published, unless `draft`: then new years are drafts and the others keep
    their state. `expected_versions` (year -> `Plan.version`, None for "no
    plan yet"), what a preview saw, makes the import refuse when any year it
    writes has changed since."""
    vetted = vet_file(path, display_name)
    plans, found_warnings = read_workbook(vetted, year, sheet)
    report = ImportReport(vetted.name, vetted.sha256, dry_run, warnings=found_warnings)
    # A dry run only reads; outside a transaction it takes no write lock.
    try:
        # write_log: whoever keeps history records the run and what it writes.
        with (
            nullcontext() if dry_run else _one_transaction(),
            write_log.import_run(report, prune=prune),
        ):
            for plan in plans:
                report.years.append(
                    _upsert(
                        plan,
                        vetted,
                        dry_run=dry_run,
                        prune=prune,
                        draft=draft,
                        expected_versions=expected_versions,
                    )
                )
    except IntegrityError as exc:
        # Another import or an admin edit wrote the same rows meanwhile.
        raise ImportFailed(
            [f"{vetted.name}: 데이터베이스가 저장을 거부했습니다: {exc} (expected 다시 실행)"],
            vetted.name,
            vetted.sha256,
        ) from None
    return report


@contextmanager
def _one_transaction():
    """All or nothing; the per-row delete signals (cache versions) become one UPDATE."""
    with transaction.atomic(), bumps_coalesced():
        yield


# Pure functions of a cell's text, which repeats across programs and imports.
_eligibility = functools.lru_cache(maxsize=4096)(eligibility_codes)


@functools.lru_cache(maxsize=4096)
def _milestone_template(label: str, year: int) -> tuple:
    """(label, kind, start date, end date) as a milestone derives them from its label."""
    template = Milestone(label=label, start_month=1, end_month=1)
    template.derive_from_label(year)
    return template.label, template.kind, template.start_date, template.end_date


# --- what the database holds --------------------------------------------------------


@dataclass
class _Stored:
    """The year in the database, as plain values: a few queries, no model
    instance per milestone, whatever the size of the plan."""

    plan: Plan | None
    sections: dict[str, Section] = field(default_factory=dict)
    areas: dict[str, SupportArea] = field(default_factory=dict)
    programs: dict[tuple[str, str], dict] = field(default_factory=dict)  # (area, name)
    milestones: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    desks: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    codes: dict[int, set] = field(default_factory=lambda: defaultdict(set))


def _load_year(year: int, *, lock: bool = False) -> _Stored:
    """`lock`: hold the plan row until the import commits, so no other import
    or edit can change the year between this read and the writes."""
    plans = Plan.objects.select_for_update() if lock else Plan.objects
    stored = _Stored(plan=plans.filter(year=year).first())
    if stored.plan is None:
        return stored
    stored.sections = {s.name: s for s in Section.objects.filter(plan_id=year)}
    stored.areas = {a.name: a for a in SupportArea.objects.filter(plan_id=year)}
    for values in Program.objects.for_year(year).values(
        "id", "area__name", "area__section__name", "name", *PROGRAM_FIELDS
    ):
        stored.programs[(values["area__name"], values["name"])] = values
    for program_id, *milestone in (
        Milestone.objects.for_year(year)
        .order_by()
        .values_list("program_id", "label", "start_month", "end_month", "kind",
                     "start_date", "end_date")
    ):  # fmt: skip
        stored.milestones[program_id].append(tuple(milestone))
    for program_id, *desk in (
        ProgramContact.objects.filter(program__area__plan_id=year)
        .order_by("program_id", "position")
        .values_list("program_id", "desk__organization", "desk__team", "desk__phone",
                     "desk__url")
    ):  # fmt: skip
        stored.desks[program_id].append(tuple(desk))
    through = Program.eligibility.through
    for program_id, code in through.objects.filter(program__area__plan_id=year).values_list(
        "program_id", "eligibility__code"
    ):
        stored.codes[program_id].add(code)
    return stored


def _known_desks(sheet_plan: SheetPlan) -> tuple[dict, dict]:
    """(the desks the sheet names, those of them the database has), by key."""
    wanted = {desk.key: desk for p in sheet_plan.programs for desk in p.desks}
    known = {}
    if wanted:
        phones = {key[2] for key in wanted}
        for desk in ContactDesk.objects.filter(phone__in=phones):
            known[(desk.organization, desk.team, desk.phone, desk.url)] = desk
    return wanted, known


# --- what the sheet wants -------------------------------------------------------------


@dataclass
class _Layout:
    """Sections and areas to create, or to move to another place."""

    new_sections: list[Section] = field(default_factory=list)
    moved_sections: list[Section] = field(default_factory=list)
    new_areas: list[SupportArea] = field(default_factory=list)
    moved_areas: list[SupportArea] = field(default_factory=list)


def _place_sections_and_areas(sheet_plan: SheetPlan, stored: _Stored) -> _Layout:
    """Sections and areas in sheet order; `stored` then holds every one the sheet names."""
    year, sections, areas = sheet_plan.year, stored.sections, stored.areas
    layout = _Layout()
    for position, (section_name, _) in enumerate(sheet_plan.sections):
        section = sections.get(section_name)
        if section is None:
            section = Section(plan_id=year, name=section_name, position=position)
            sections[section_name] = section
            layout.new_sections.append(section)
        elif section.position != position:
            section.position = position
            layout.moved_sections.append(section)
    area_position = 0
    for section_name, section_areas in sheet_plan.sections:
        section = sections[section_name]
        for area_name, _ in section_areas:
            area = areas.get(area_name)
            if area is None:
                area = SupportArea(
                    plan_id=year, section=section, name=area_name, position=area_position
                )
                areas[area_name] = area
                layout.new_areas.append(area)
            elif area.position != area_position or area.section_id != section.pk:
                area.position = area_position
                area.section = section
                layout.moved_areas.append(area)
            area_position += 1
    return layout


@dataclass
class _Programs:
    """The programs as the sheet wants them, and what to write for that."""

    wanted: dict[tuple[str, str], Program] = field(default_factory=dict)
    to_create: list[Program] = field(default_factory=list)
    to_update: list[Program] = field(default_factory=list)
    # The relations to write anew, by program key: created programs and changed ones.
    milestones: dict[tuple[str, str], list] = field(default_factory=dict)
    contacts: dict[tuple[str, str], list] = field(default_factory=dict)
    tags: dict[tuple[str, str], set] = field(default_factory=dict)


def _wanted_program(row: ProgramRow, area: SupportArea, position: int) -> Program:
    """The program as the sheet has it, on a scratch instance."""
    program = Program(name=row.name, area=area)
    program.position = position
    program.target = row.target
    program.budget = row.budget
    program.per_company = row.per_company
    labels = [label for label, _, _ in sorted(row.milestones, key=lambda m: m[1])]
    program.search_text = program.compose_search_text(labels, [d.name for d in row.desks])
    return program


def _wanted_milestones(row: ProgramRow, year: int) -> list[tuple]:
    milestones = []
    for label, start, end in row.milestones:
        clean, kind, start_date, end_date = _milestone_template(label, year)
        milestones.append((clean, start, end, kind, start_date, end_date))
    milestones.sort(key=lambda m: (m[1], m[2]))
    return milestones


def _compare_programs(sheet_plan: SheetPlan, stored: _Stored, report: YearReport, now):
    """Each sheet row against the stored values; fills the report's created,
    updated and unchanged lists and its entries."""
    result = _Programs()
    positions: dict[str, int] = defaultdict(int)
    section_of = {area: section for section, areas in sheet_plan.sections for area, _ in areas}
    for row in sheet_plan.programs:
        key = (row.area, row.name)
        program = _wanted_program(row, stored.areas[row.area], positions[row.area])
        positions[row.area] += 1
        result.wanted[key] = program
        milestones = _wanted_milestones(row, sheet_plan.year)
        codes = set(_eligibility(row.target))
        desk_keys = [desk.key for desk in row.desks]
        title = f"{row.area} › {row.name}"
        entry = ProgramEntry(section_of[row.area], row.area, row.name, UNCHANGED)
        report.add(entry)
        old = stored.programs.get(key)
        if old is None:
            entry.status = CREATED
            result.to_create.append(program)
            report.created.append(title)
            result.milestones[key], result.contacts[key], result.tags[key] = (
                milestones,
                desk_keys,
                codes,
            )
            continue
        program.pk = old["id"]
        changes = [name for name in PROGRAM_FIELDS if getattr(program, name) != old[name]]
        if sorted(stored.milestones[program.pk], key=lambda m: (m[1], m[2])) != milestones:
            changes.append("milestones")
            result.milestones[key] = milestones
        if stored.desks[program.pk] != desk_keys:
            changes.append("contacts")
            result.contacts[key] = desk_keys
        if stored.codes[program.pk] != codes:
            changes.append("eligibility")
            result.tags[key] = codes
        if changes:
            program.updated_at = now
            result.to_update.append(program)
        if changes and changes != ["position"]:
            entry.status = UPDATED
            new = {name: getattr(program, name) for name in PROGRAM_FIELDS}
            entry.changes = field_changes(
                Compared(
                    old,
                    new,
                    changes,
                    milestones=(stored.milestones[program.pk], milestones),
                    desks=(stored.desks[program.pk], desk_keys),
                    codes=(stored.codes[program.pk], codes),
                )
            )
        _report_changes(report, title, changes)
    return result


def _report_changes(report: YearReport, title: str, changes: list[str]) -> None:
    if not changes:
        report.unchanged.append(title)
    elif changes == ["position"]:
        # Renumbered because a program above was added or removed: the
        # order is written, but the program itself did not change.
        report.unchanged.append(title)
        report.reordered.append(title)
    else:
        shown = []
        for change in changes:
            label = _change_label(change)
            if label and label not in shown:
                shown.append(label)
        report.updated.append((title, shown))


# --- the upsert ---------------------------------------------------------------------------


def _upsert(
    sheet_plan: SheetPlan,
    vetted: VettedFile,
    *,
    dry_run: bool,
    prune: bool,
    draft: bool,
    expected_versions: dict | None,
) -> YearReport:
    year = sheet_plan.year
    report = YearReport(year=year, sheet=sheet_plan.sheet)
    now = timezone.now()
    stored = _load_year(year, lock=not dry_run)
    _check_unchanged_since_preview(stored, year, expected_versions, vetted)
    report.plan_version = stored.plan.version if stored.plan else None
    report.was_published = bool(stored.plan and stored.plan.is_published)
    report.published = report.was_published or not draft
    wanted_desks, desks = _known_desks(sheet_plan)
    vocabulary = {tag.code: tag for tag in Eligibility.objects.all()}
    layout = _place_sections_and_areas(sheet_plan, stored)
    programs = _compare_programs(sheet_plan, stored, report, now)

    missing = [values for key, values in stored.programs.items() if key not in programs.wanted]
    report.missing = [f"{values['area__name']} › {values['name']}" for values in missing]
    for values in missing:
        section, area, name = values["area__section__name"], values["area__name"], values["name"]
        report.add(ProgramEntry(section, area, name, MISSING))
    if prune:
        report.pruned = list(report.missing)
    report.changed = bool(
        stored.plan is None
        or stored.plan.title != sheet_plan.title
        or layout.new_sections
        or layout.moved_sections
        or layout.new_areas
        or layout.moved_areas
        or programs.to_create
        or programs.to_update
        or (prune and missing)
        or report.published != report.was_published
    )
    if dry_run:
        return report

    # --- writes (inside the caller's transaction) ---
    if stored.plan is None:
        state = Plan.State.PUBLISHED if report.published else Plan.State.DRAFT
        published_at = now if report.published else None
        Plan.objects.create(
            year=year, title=sheet_plan.title, state=state, published_at=published_at
        )
    elif report.published and not report.was_published:
        _publish(year, now)
    _write_layout(layout)
    _add_missing_desks(wanted_desks, desks)
    _add_missing_tags(programs, vocabulary)
    write_log.written(Program.objects.bulk_create(programs.to_create, batch_size=500))
    Program.objects.bulk_update(programs.to_update, [*PROGRAM_FIELDS, "updated_at"], batch_size=500)
    write_log.written(programs.to_update, update=True)
    _replace_relations(stored, programs, desks, vocabulary)
    if prune and missing:
        _prune(sheet_plan, [values["id"] for values in missing])
    _finish_plan(sheet_plan, vetted, now, changed=report.changed)
    return report


def _write_layout(layout: _Layout) -> None:
    write_log.written(Section.objects.bulk_create(layout.new_sections))
    Section.objects.bulk_update(layout.moved_sections, ["position"])
    write_log.written(layout.moved_sections, update=True)
    write_log.written(SupportArea.objects.bulk_create(layout.new_areas))
    SupportArea.objects.bulk_update(layout.moved_areas, ["position", "section"])
    write_log.written(layout.moved_areas, update=True)


def _add_missing_desks(wanted: dict, desks: dict) -> None:
    """Create the desks the database lacks; `desks` then has every wanted one."""
    missing = [
        ContactDesk(organization=k[0], team=k[1], phone=k[2], url=k[3])
        for k in wanted
        if k not in desks
    ]
    write_log.written(ContactDesk.objects.bulk_create(missing))
    desks |= {(d.organization, d.team, d.phone, d.url): d for d in missing}


def _add_missing_tags(programs: _Programs, vocabulary: dict) -> None:
    """Create the eligibility tags the written programs need and the database
    lacks; `vocabulary` then has them."""
    needed = set().union(*programs.tags.values()) if programs.tags else set()
    missing = [
        Eligibility(code=code, name=label, position=position)
        for position, (code, label, _) in enumerate(VOCABULARY)
        if code not in vocabulary and code in needed
    ]
    write_log.written(Eligibility.objects.bulk_create(missing))
    vocabulary |= {tag.code: tag for tag in missing}


def _replace_relations(stored: _Stored, programs: _Programs, desks, vocabulary) -> None:
    """Milestones, contact links and eligibility tags of the programs whose
    ones changed (and of new programs): deleted and written anew."""
    wanted = programs.wanted
    through = Program.eligibility.through

    def replaced(keys) -> list[int]:
        """Existing programs whose rows of a relation are replaced."""
        return [stored.programs[key]["id"] for key in keys if key in stored.programs]

    _delete_in_chunks(Milestone.objects, replaced(programs.milestones))
    new_milestones = Milestone.objects.bulk_create(
        [
            Milestone(
                program=wanted[key],
                label=label,
                start_month=start,
                end_month=end,
                kind=kind,
                start_date=start_date,
                end_date=end_date,
            )
            for key, rows in programs.milestones.items()
            for label, start, end, kind, start_date, end_date in rows
        ],
        batch_size=1000,
    )
    write_log.written(new_milestones)
    _delete_in_chunks(ProgramContact.objects, replaced(programs.contacts))
    new_links = ProgramContact.objects.bulk_create(
        [
            ProgramContact(program=wanted[key], desk=desks[desk_key], position=position)
            for key, desk_keys in programs.contacts.items()
            for position, desk_key in enumerate(desk_keys)
        ],
        batch_size=1000,
    )
    write_log.written(new_links)
    _delete_in_chunks(through.objects, replaced(programs.tags))
    new_tags = through.objects.bulk_create(
        [
            through(program_id=wanted[key].pk, eligibility_id=vocabulary[code].pk)
            for key, codes in programs.tags.items()
            for code in sorted(codes)
            if code in vocabulary
        ],
        batch_size=1000,
    )
    write_log.written(new_tags)


def _prune(sheet_plan: SheetPlan, program_ids: list[int]) -> None:
    """Delete the programs missing from the sheet, then the areas and sections
    left empty that the sheet does not name."""
    year = sheet_plan.year
    Program.objects.filter(pk__in=program_ids).delete()
    sheet_areas = [area for _, section_areas in sheet_plan.sections for area, _ in section_areas]
    SupportArea.objects.filter(plan_id=year, programs__isnull=True).exclude(
        name__in=sheet_areas
    ).delete()
    Section.objects.filter(plan_id=year, areas__isnull=True).exclude(
        name__in=[name for name, _ in sheet_plan.sections]
    ).delete()


def _check_unchanged_since_preview(stored: _Stored, year: int, expected, vetted) -> None:
    """Refuse when the year is not as the preview (`expected`) saw it."""
    if expected is None:
        return
    found = stored.plan.version if stored.plan else None
    if year not in expected or expected[year] != found:
        raise ImportFailed(
            [
                f"{vetted.name}: 미리보기 뒤에 {year}년 계획이 바뀌었습니다(다른 사람이 "
                "가져오거나 고침) (expected 다시 미리보기)"
            ],
            vetted.name,
            vetted.sha256,
        )


def _publish(year: int, now) -> None:
    """A draft year made public by an import without --draft."""
    Plan.objects.filter(year=year).update(state=Plan.State.PUBLISHED, published_at=now)
    # Every page lists the public years.
    Plan.objects.all().bump_version()


def _finish_plan(sheet_plan: SheetPlan, vetted: VettedFile, now, *, changed: bool) -> None:
    """Record where the plan came from; bump its version when anything changed."""
    plan = Plan.objects.filter(year=sheet_plan.year)
    plan.update(
        title=sheet_plan.title,
        source_name=vetted.name[:255],
        source_sha256=vetted.sha256,
        imported_at=now,
    )
    if changed:
        plan.bump_version()


def _delete_in_chunks(manager, program_ids: list[int], size: int = 500) -> None:
    for start in range(0, len(program_ids), size):
        rows = manager.filter(program_id__in=program_ids[start : start + size])
        write_log.deleting(rows).delete()  # tag rows send no delete signal
