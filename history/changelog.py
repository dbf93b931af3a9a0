"""The public change log: corrections to published programs, as citizens read them.

A correction is a version of a program that changed something its page shows
(사업명, 지원대상, 지원규모, 업체평균, each milestone's months or dates, 문의처)
after the plan year was published; a plan published before drafts existed
counts as published from the start. Creating or deleting a program is not a
correction, nor is anything the page does not show (order, search text, ids,
the summary and link staff write, eligibility tags). Values are written in the
units of the page: "지원규모 1억 2,400만 원 → 1억 5,000만 원", "접수 3월 → 3~4월".

The detail page and /changes.atom read this. A page without corrections costs
one query; the page cache keeps the rest, and its version changes with every
write to the year, so the log is never stale.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import (
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from contacts.models import ContactDesk
from history.states import history_of
from history.timeline import (
    CASCADE_WINDOW,
    Change,
    ProgramHistory,
    changes,
    facts,
    load_histories,
)
from programs.models import Program, ProgramContact
from schedules.models import Milestone

# Before any plan was published: a year published without a date counts from here.
_THE_START = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_NO_CHANGE_SET = uuid.UUID(int=0)


@dataclass
class Correction:
    program: Program
    moment: dt.datetime
    changes: list[Change]
    slug: str

    @property
    def summary(self) -> str:
        """ "지원규모, 접수 변경" — what changed, for a feed title."""
        return ", ".join(change.label for change in self.changes) + " 변경"


def touched_since_publication(programs):
    """These programs, keeping those with a historical row written after their
    year was published that could be a correction (not the rows that created
    the program), each annotated with that moment (`_published`)."""
    own = history_of(Program).objects.filter(id=OuterRef("pk"), history_type="+")
    programs = programs.annotate(
        _published=Coalesce(F("area__plan__published_at"), Value(_THE_START)),
        _created_set=Coalesce(
            Subquery(own.order_by("history_date").values("change_set")[:1]), Value(_NO_CHANGE_SET)
        ),
        _created_until=ExpressionWrapper(
            Subquery(own.order_by("history_date").values("history_date")[:1]) + CASCADE_WINDOW,
            output_field=DateTimeField(),
        ),
    )
    # Rows of the change that created the program are no correction; rows
    # written without a change set count once the creation is well over.
    later = (Q(change_set__isnull=False) & ~Q(change_set=OuterRef("_created_set"))) | Q(
        change_set__isnull=True, history_date__gt=OuterRef("_created_until")
    )
    desks = ProgramContact.objects.filter(program_id=OuterRef(OuterRef("pk"))).values("desk_id")
    checks = [
        history_of(Program).objects.filter(later, id=OuterRef("pk"), history_type="~"),
        history_of(Milestone).objects.filter(later, program_id=OuterRef("pk")),
        history_of(ProgramContact).objects.filter(later, program_id=OuterRef("pk")),
        history_of(ContactDesk).objects.filter(history_type="~", id__in=desks),
    ]
    condition = Q()
    for check in checks:
        condition |= Q(Exists(check.filter(history_date__gt=OuterRef("_published"))))
    return programs.filter(condition)


def corrections_of(history: ProgramHistory, program: Program, published) -> list[Correction]:
    """The program's corrections since `published`, newest first."""
    since = published or _THE_START
    found = []
    for version in history.versions():
        if version.moment <= since:
            continue
        if not (version.program_exists("before") and version.program_exists("after")):
            continue
        lines = changes(facts(version.before, public=True), facts(version.after, public=True))
        if lines:
            slug = f"{version.model_label}-{version.history_id}"
            found.append(Correction(program, version.moment, lines, slug))
    found.reverse()
    return found


def program_corrections(program: Program) -> list[Correction]:
    """The detail page's "변경 이력"; one query when there is nothing to show."""
    candidate = (
        touched_since_publication(Program.objects.filter(pk=program.pk))
        .values_list("_published", flat=True)
        .first()
    )
    if candidate is None:
        return []
    return corrections_of(ProgramHistory(program.pk), program, candidate)


def recent_corrections(programs, *, limit: int = 50) -> list[Correction]:
    """Corrections to any of `programs`, newest first (the feed)."""
    candidates = list(
        touched_since_publication(programs)
        .select_related("area__section", "area__plan")
        .order_by("-updated_at")[: limit * 4]
    )
    histories = load_histories(program.pk for program in candidates)
    found = []
    for program in candidates:
        published = program.area.plan.published_at
        found += corrections_of(histories[program.pk], program, published)
    found.sort(key=lambda correction: correction.moment, reverse=True)
    return found[:limit]
