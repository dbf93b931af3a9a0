"""One program through time: its versions, what each changed, in words.

A version is one change to the program or to what hangs on it (milestones,
contact links, eligibility tags, the desks it lists): the historical rows of
one change set (an admin save, an import run, a restore). `ProgramHistory`
loads every row of one program in five queries and replays them, so each
version knows the program before and after it. What changed is written as
people read it: "지원규모 1억 2,400만 원 → 1억 5,000만 원", "접수 3월 → 3~4월".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from contacts.models import ContactDesk
from contacts.phones import display_phone
from history.states import (
    EPSILON,
    ProgramEligibility,
    State,
    fold,
    history_of,
    key_of,
    values_of,
)
from programs.amounts import Amount, describe
from programs.models import Eligibility, Program, ProgramContact, SupportArea
from schedules.kinds import Kind
from schedules.labels import date_span, month_span
from schedules.models import Milestone

NOTHING = "없음"
# A row deleted without a change set (a shell, a script) went with its
# program when it was deleted this shortly before it.
CASCADE_WINDOW = dt.timedelta(seconds=5)
_AMOUNT_COLUMNS = ("text", "won", "values", "is_max", "is_approx", "per", "quantity", "unit",
                   "undecided")  # fmt: skip


@dataclass
class Change:
    label: str
    before: str
    after: str

    def __str__(self):
        return f"{self.label} {self.before} → {self.after}"


@dataclass
class Version:
    key: object
    first: dt.datetime
    moment: dt.datetime
    rows: list = field(default_factory=list)
    before: State = field(default_factory=dict)
    after: State = field(default_factory=dict)

    @property
    def head(self):
        """The row that says who and why: the program's own, else any."""
        own = [row for row in self.rows if row.instance_type is Program]
        return (own or self.rows)[-1]

    @property
    def who(self) -> str:
        row = self.head
        if row.history_user_id:
            return row.history_user.get_username() if row.history_user else "-"
        if row.import_run_id:
            return row.import_run.who
        return "-"

    @property
    def reason(self) -> str:
        return self.head.history_change_reason or ""

    @property
    def history_id(self) -> int:
        return self.head.history_id

    @property
    def model_label(self) -> str:
        return self.head.instance_type._meta.model_name

    def program_exists(self, when: str = "after") -> bool:
        state = self.after if when == "after" else self.before
        return any(model is Program and values for (model, _), values in state.items())


def _group_key(row):
    return row.change_set or (row.instance_type._meta.label, row.history_id)


class ProgramHistory:
    """Every historical row of one program and what hangs on it."""

    def __init__(self, program_id: int, rows=None):
        self.program_id = program_id
        self.rows = (
            sorted(rows, key=lambda row: (row.history_date, row.history_id))
            if rows is not None
            else load_histories([program_id])[program_id].rows
        )

    def state_at(self, moment) -> State:
        return fold(self.rows, moment)

    def versions(self) -> list[Version]:
        """Versions oldest first, each with the state before and after it."""
        groups: dict = {}
        for row in self.rows:
            key = _group_key(row)
            version = groups.get(key)
            if version is None:
                version = groups[key] = Version(key, row.history_date, row.history_date)
            version.rows.append(row)
            version.moment = max(version.moment, row.history_date)
        versions = sorted(groups.values(), key=lambda v: (v.moment, v.rows[-1].history_id))
        state: State = {}
        index = 0
        for version in versions:
            version.before = dict(state)
            while index < len(self.rows) and self.rows[index].history_date <= version.moment:
                row = self.rows[index]
                state[key_of(row)] = None if row.history_type == "-" else values_of(row)
                index += 1
            version.after = dict(state)
        return versions

    def deletion_moment(self):
        """Just before the program was last deleted (with what went with it),
        or None when it exists or never did."""
        own = [row for row in self.rows if row.instance_type is Program]
        if not own or own[-1].history_type != "-":
            return None
        deletion = own[-1]
        if deletion.change_set:
            first = min(
                row.history_date for row in self.rows if row.change_set == deletion.change_set
            )
        else:
            earliest = deletion.history_date - CASCADE_WINDOW
            first = min(
                row.history_date
                for row in self.rows
                if row.history_type == "-"
                and row.change_set is None
                and earliest <= row.history_date <= deletion.history_date
            )
        return first - EPSILON


def load_histories(program_ids) -> dict[int, ProgramHistory]:
    """The histories of these programs, in five queries however many they are."""
    program_ids = list(program_ids)
    by_program: dict[int, list] = {pk: [] for pk in program_ids}
    related = ("history_user", "import_run", "import_run__user")
    desk_programs: dict[int, set] = {}
    for model in (Program, Milestone, ProgramContact, ProgramEligibility):
        condition = Q(id__in=program_ids) if model is Program else Q(program_id__in=program_ids)
        for row in history_of(model).objects.filter(condition).select_related(*related):
            owner = row.id if model is Program else row.program_id
            by_program[owner].append(row)
            if model is ProgramContact:
                desk_programs.setdefault(row.desk_id, set()).add(owner)
    desks = history_of(ContactDesk).objects.filter(id__in=list(desk_programs))
    for row in desks.select_related(*related):
        for owner in desk_programs[row.id]:
            by_program[owner].append(row)
    return {pk: ProgramHistory(pk, rows) for pk, rows in by_program.items()}


# --- what a state says, in words -------------------------------------------------------


def _of(state: State, model) -> list[dict]:
    return [values for (m, _), values in state.items() if m is model and values]


def _amount(values: dict, prefix: str) -> str:
    if not values.get(f"{prefix}_text"):
        return NOTHING
    parts = {name: values.get(f"{prefix}_{name}") for name in _AMOUNT_COLUMNS}
    parts["values"] = tuple(parts["values"] or ())
    return describe(Amount(**parts))


def _span(milestone: dict) -> str:
    if milestone["start_date"]:
        return date_span(milestone["start_date"], milestone["end_date"])
    return month_span(milestone["start_month"], milestone["end_month"])


def _milestone_facts(state: State) -> dict[str, str]:
    """ "접수" (application milestones) or the label, to when: "3~4월"."""
    facts: dict[str, list[str]] = {}
    milestones = sorted(_of(state, Milestone), key=lambda m: (m["start_month"], m["end_month"]))
    for milestone in milestones:
        key = "접수" if milestone["kind"] == Kind.APPLICATION else milestone["label"]
        facts.setdefault(key, []).append(_span(milestone))
    return {key: ", ".join(spans) for key, spans in facts.items()}


def _desk_text(desk: dict) -> str:
    parts = (desk["organization"], desk["team"], display_phone(desk["phone"]), desk["url"])
    return " ".join(part for part in parts if part)


def _contacts(state: State) -> str:
    desks = {pk: values for (m, pk), values in state.items() if m is ContactDesk and values}
    links = sorted(_of(state, ProgramContact), key=lambda link: link["position"])
    texts = [_desk_text(desks[link["desk_id"]]) for link in links if link["desk_id"] in desks]
    return "; ".join(texts) or NOTHING


def facts(state: State, *, public: bool, names=None) -> dict[str, str]:
    """The program in a state, field by field, as a reader sees it. Public:
    only what the detail page shows; staff: also what they write and tag."""
    programs = _of(state, Program)
    if not programs:
        return {}
    program = programs[0]
    shown = {"사업명": program["name"] or NOTHING}
    if not public:
        shown["지원분야"] = (names or {}).get(("area", program["area_id"]), NOTHING)
    shown["지원대상"] = program["target"] or NOTHING
    if public:
        shown["지원규모"] = _amount(program, "budget")
        shown["업체평균"] = _amount(program, "per_company")
    else:
        shown["지원규모"] = program["budget_text"] or NOTHING
        shown["업체평균"] = program["per_company_text"] or NOTHING
        shown["사업 소개"] = program["summary"] or NOTHING
        shown["안내 링크"] = program["link"] or NOTHING
        tags = sorted(
            (names or {}).get(("tag", row["eligibility_id"]), "?")
            for row in _of(state, ProgramEligibility)
        )
        shown["지원대상 유형"] = ", ".join(tags) or NOTHING
    shown.update(_milestone_facts(state))
    shown["문의처"] = _contacts(state)
    return shown


def changes(before: dict, after: dict) -> list[Change]:
    """Each fact that differs, in the order the page shows them."""
    keys = list(after) + [key for key in before if key not in after]
    return [
        Change(key, before.get(key, NOTHING), after.get(key, NOTHING))
        for key in keys
        if before.get(key, NOTHING) != after.get(key, NOTHING)
    ]


def names_for(history: ProgramHistory) -> dict:
    """Area and tag names the staff view writes instead of ids."""
    rows = history.rows
    area_ids = {row.area_id for row in rows if row.instance_type is Program}
    tag_ids = {row.eligibility_id for row in rows if row.instance_type is ProgramEligibility}
    names = {("area", area.pk): area.name for area in SupportArea.objects.filter(pk__in=area_ids)}
    for row in history_of(SupportArea).objects.filter(id__in=area_ids - {k[1] for k in names}):
        names.setdefault(("area", row.id), row.name)
    for tag in Eligibility.objects.filter(pk__in=tag_ids):
        names[("tag", tag.pk)] = tag.name
    return names
