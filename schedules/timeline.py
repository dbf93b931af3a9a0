"""Lay a program's milestones on the twelve months, as table cells.

Used by the calendar (one table row per lane, empty months joined), the
catalogue's mini strip, the detail page's timeline and the sheet export, so a
milestone sits in the same columns everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MONTHS = range(1, 13)


@dataclass(frozen=True)
class Cell:
    start_month: int
    span: int
    milestone: object | None = None  # a schedules.models.Milestone, or None for empty months

    @property
    def months(self) -> range:
        return range(self.start_month, self.start_month + self.span)

    @property
    def is_empty(self) -> bool:
        return self.milestone is None


def lanes(milestones: Iterable) -> list[list[Cell]]:
    """Rows of cells covering months 1–12. Overlapping milestones (a span with a
    one-month step inside it) go to a further lane, so no cell covers another."""
    rows: list[list] = []
    for milestone in sorted(milestones, key=lambda m: (m.start_month, -m.end_month)):
        for row in rows:
            if row[-1].end_month < milestone.start_month:
                row.append(milestone)
                break
        else:
            rows.append([milestone])
    return [_cells(row) for row in rows] or [_cells([])]


def _cells(row: list) -> list[Cell]:
    cells: list[Cell] = []
    month = 1
    for milestone in row:
        if milestone.start_month > month:
            cells.extend(Cell(m, 1) for m in range(month, milestone.start_month))
        cells.append(Cell(milestone.start_month, milestone.end_month - milestone.start_month + 1,
                          milestone))  # fmt: skip
        month = milestone.end_month + 1
    cells.extend(Cell(m, 1) for m in range(month, 13))
    return cells


def joined_gaps(cells: list[Cell]) -> list[Cell]:
    """The same lane with every run of empty months as one cell, so a stretch
    without anything is one table cell (and one "일정 없음"), not one a month."""
    joined: list[Cell] = []
    for cell in cells:
        if cell.is_empty and joined and joined[-1].is_empty:
            joined[-1] = Cell(joined[-1].start_month, joined[-1].span + cell.span)
        else:
            joined.append(cell)
    return joined


def active_months(milestones: Iterable) -> set[int]:
    """Months in which the program has any milestone (the catalogue's mini strip)."""
    return {month for m in milestones for month in range(m.start_month, m.end_month + 1)}
