"""What an import did, or would do: the report `programs.plan_import.import_plan`
returns, which `import_programs` prints and the admin's upload preview shows.

Each program of the year gets an entry (added, changed, unchanged or missing
from the sheet) under its section and area, and a changed one lists each field
as it reads on the site, old → new: "지원규모: 1억 2,400만 원 → 1억 5,000만 원",
"추진일정 · 공고/접수: 3월 → 3~4월".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from contacts.models import ContactDesk
from programs.amounts import Amount, describe
from programs.eligibility import VOCABULARY
from schedules.labels import month_ranges

CREATED, UPDATED, UNCHANGED, MISSING = "created", "updated", "unchanged", "missing"
PRUNED = "pruned"
NOTHING = "없음"
_TAG_NAMES = {code: label for code, label, _ in VOCABULARY}
_AMOUNT_COLUMNS = ("text", "won", "values", "is_max", "is_approx", "per", "quantity", "unit",
                   "undecided")  # fmt: skip


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.label}: {self.old} → {self.new}"


@dataclass
class ProgramEntry:
    section: str
    area: str
    name: str
    status: str  # CREATED, UPDATED, UNCHANGED or MISSING
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.area} › {self.name}"


@dataclass
class AreaGroup:
    name: str
    created: list[ProgramEntry] = field(default_factory=list)
    updated: list[ProgramEntry] = field(default_factory=list)
    missing: list[ProgramEntry] = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_news(self) -> bool:
        return bool(self.created or self.updated or self.missing)


@dataclass
class SectionGroup:
    name: str
    areas: list[AreaGroup] = field(default_factory=list)

    @property
    def quiet_areas(self) -> list[AreaGroup]:
        """Areas where nothing is added, changed or missing: one line for all."""
        return [area for area in self.areas if not area.has_news]


@dataclass
class YearReport:
    year: int
    sheet: str
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    reordered: list[str] = field(default_factory=list)  # counted as unchanged
    changed: bool = False  # anything written for this year (areas, sections, title too)
    entries: list[ProgramEntry] = field(default_factory=list)  # sheet order, then missing
    # The plan as the import found it: its content version (None: a new year),
    # which a confirmed preview must still see, and whether it was public.
    plan_version: int | None = None
    was_published: bool = False
    published: bool = False  # after the import (a dry run: what it would be)

    @property
    def counts(self) -> dict[str, int]:
        """How many programs it added, changed, left as they were, found missing
        from the sheet and removed."""
        return {
            CREATED: len(self.created),
            UPDATED: len(self.updated),
            UNCHANGED: len(self.unchanged),
            MISSING: len(self.missing),
            PRUNED: len(self.pruned),
        }

    @property
    def summary(self) -> str:
        """ "2019년: 3 created, 1 updated, 40 unchanged, 0 missing" (", 2 pruned" when any)."""
        counts = self.counts
        if not self.pruned:
            del counts[PRUNED]
        return f"{self.year}년: " + ", ".join(f"{count} {word}" for word, count in counts.items())

    @property
    def state_text(self) -> str:
        """What the import does to the year's visibility, in words."""
        if self.plan_version is None:
            return "새 연도, 공개" if self.published else "새 연도, 미공개 초안으로 만듦"
        if self.published and not self.was_published:
            return "미공개 초안이던 연도, 공개"
        return "공개 중인 연도, 바로 반영" if self.published else "미공개 초안, 계속 초안"

    @property
    def state_is_news(self) -> bool:
        """A draft made, kept or published. A published year updated, or a new
        year published at once, is what scripts always did: not worth a line."""
        return not self.published or (not self.was_published and self.plan_version is not None)

    def add(self, entry: ProgramEntry) -> None:
        self.entries.append(entry)

    def sections(self) -> list[SectionGroup]:
        """The entries under their section and area, in sheet order; missing
        programs of areas the sheet no longer has come last."""
        groups: dict[str, dict[str, AreaGroup]] = defaultdict(dict)
        for entry in self.entries:
            area = groups[entry.section].setdefault(entry.area, AreaGroup(entry.area))
            if entry.status == UNCHANGED:
                area.unchanged += 1
            else:
                getattr(area, entry.status).append(entry)
        return [SectionGroup(name, list(areas.values())) for name, areas in groups.items()]


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    dry_run: bool
    years: list[YearReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def log_counts(self) -> str:
        """Each year's counts as the import log records them: "2019:created=3,updated=1,…"."""
        return " ".join(
            f"{year.year}:" + ",".join(f"{word}={count}" for word, count in year.counts.items())
            for year in self.years
        )


# --- one program's changes, as they read on the site ------------------------------------


def amount_text(values: dict, prefix: str) -> str:
    """A stored amount (its columns in `values`) as the site shows it."""
    columns = {name: values[f"{prefix}_{name}"] for name in _AMOUNT_COLUMNS}
    if not columns["text"]:
        return NOTHING
    columns["values"] = tuple(columns["values"] or ())
    return describe(Amount(**columns))


def _amount_change(label: str, prefix: str, old: dict, new: dict) -> FieldChange:
    before, after = amount_text(old, prefix), amount_text(new, prefix)
    if before == after:
        # Written differently, read the same: show what was written.
        before, after = old[f"{prefix}_text"] or NOTHING, new[f"{prefix}_text"] or NOTHING
    return FieldChange(label, before, after)


def milestone_changes(old_rows, new_rows) -> list[FieldChange]:
    """(label, start month, end month, …) rows compared label by label: the
    months each label covers, "3월 → 3~4월"; a label only one side has reads
    "없음" on the other."""

    def months_by_label(rows) -> dict[str, set[int]]:
        found: dict[str, set[int]] = defaultdict(set)
        for label, start, end, *_ in rows:
            found[label].update(range(start, end + 1))
        return found

    before, after = months_by_label(old_rows), months_by_label(new_rows)
    changes = []
    for label in dict.fromkeys([*after, *before]):
        old_months, new_months = before.get(label, set()), after.get(label, set())
        if old_months != new_months:
            changes.append(
                FieldChange(
                    f"추진일정 · {label}",
                    month_ranges(old_months) or NOTHING,
                    month_ranges(new_months) or NOTHING,
                )
            )
    return changes or [FieldChange("추진일정", "종류·날짜", "다시 읽음")]


def _desks_text(keys) -> str:
    desks = [ContactDesk(organization=o, team=t, phone=p, url=u) for o, t, p, u in keys]
    return ", ".join(str(desk) for desk in desks) or NOTHING


def _tags_text(codes) -> str:
    names = [_TAG_NAMES.get(code, code) for code, *_ in VOCABULARY if code in codes]
    return ", ".join(names) or NOTHING


@dataclass
class Compared:
    """One program, stored and wanted, with what differs (field names as the
    importer compares them: columns, then milestones, contacts, eligibility)."""

    old: dict
    new: dict
    changed: list[str]
    milestones: tuple[list, list] = ((), ())
    desks: tuple[list, list] = ((), ())
    codes: tuple[set, set] = (set(), set())


def field_changes(compared: Compared) -> list[FieldChange]:
    """Each changed field once, in the order a program's page shows them."""
    changed, old, new = set(compared.changed), compared.old, compared.new
    found = []
    if "target" in changed:
        found.append(FieldChange("지원대상", old["target"] or NOTHING, new["target"] or NOTHING))
    if "eligibility" in changed:
        found.append(FieldChange("지원대상 유형", *map(_tags_text, compared.codes)))
    for prefix, label in (("budget", "지원규모"), ("per_company", "업체평균")):
        if any(name.startswith(f"{prefix}_") for name in changed):
            found.append(_amount_change(label, prefix, old, new))
    if "amounts_confirmed" in changed:
        found.append(FieldChange("금액", "확인 전", "확정"))
    if "milestones" in changed:
        found += milestone_changes(*compared.milestones)
    if "contacts" in changed:
        found.append(FieldChange("문의처", *map(_desks_text, compared.desks)))
    return found
