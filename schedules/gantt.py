"""The calendar's table body: programs grouped by section and support area, each
program laid out in lanes of month cells, a run of empty months as one cell.

Built from programs already loaded in sheet order (`for_listing().in_sheet_order()`),
so grouping costs no queries; the template only walks the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schedules.timeline import Cell, joined_gaps, lanes


@dataclass
class ProgramRow:
    program: object
    lanes: list[list[Cell]]

    @property
    def first_lane(self) -> list[Cell]:
        return self.lanes[0]

    @property
    def other_lanes(self) -> list[list[Cell]]:
        return self.lanes[1:]

    @property
    def rowspan(self) -> int:
        return len(self.lanes)


@dataclass
class AreaGroup:
    area: object
    rows: list[ProgramRow] = field(default_factory=list)


@dataclass
class SectionGroup:
    section: object
    areas: list[AreaGroup] = field(default_factory=list)

    @property
    def program_count(self) -> int:
        return sum(len(area.rows) for area in self.areas)


def group(programs) -> list[SectionGroup]:
    """Sections in sheet order, their areas in sheet order, programs as rows.
    Areas and sections without programs (after filtering) are left out."""
    sections: list[SectionGroup] = []
    for program in programs:
        area = program.area
        if not sections or sections[-1].section.pk != area.section_id:
            sections.append(SectionGroup(area.section))
        areas = sections[-1].areas
        if not areas or areas[-1].area.pk != area.pk:
            areas.append(AreaGroup(area))
        # .all() reads the prefetched milestones; no query per program.
        program_lanes = [joined_gaps(lane) for lane in lanes(program.milestones.all())]
        areas[-1].rows.append(ProgramRow(program, program_lanes))
    return sections
