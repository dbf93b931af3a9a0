"""Write the yearly sheet: the layout `programs.sheet.read` reads, as the
centers lay it out (title row, two-row header, a merged row per section,
지원분야 merged down, milestones merged across the months they span).

    write_plan_workbook(path, title, sheet_name_for(2019), sheet_sections(programs))

`sheet_sections` takes `Program.objects.for_year(y).for_listing().in_sheet_order()`
and reads only what that queryset prefetched. Every text cell is written with
the explicit string type, which Excel never evaluates, so '=1+1' stays text and
imports back unchanged; `escape_formula` is for formats without cell types (CSV).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from contacts.lines import desk_line
from programs.sheet.layout import (
    HEADER_AREA,
    HEADER_BUDGET,
    HEADER_CONTACTS,
    HEADER_NAME,
    HEADER_PER_COMPANY,
    HEADER_SCHEDULE,
    HEADER_TARGET,
    MONTH_HEADERS,
)
from schedules.timeline import lanes

# Column numbers (1-based) of the sheet this module writes. The importer finds
# columns by their header text, so these are a convention, not a requirement.
COL_AREA = 1
COL_NAME = 2
COL_FIRST_MONTH = 3  # 1월 … 12월 are columns 3 … 14
COL_TARGET = 15
COL_BUDGET = 16
COL_PER_COMPANY = 17
COL_CONTACTS = 18
LAST_COL = COL_CONTACTS
TITLE_ROW = 1
HEADER_ROW = 3  # and 4: the two-row header

# Characters that make a spreadsheet treat a cell as a formula. Full-width
# forms are included because some CJK spreadsheet locales accept them too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def escape_formula(value):
    """Make a text cell inert for spreadsheets: '=1+1' -> "'=1+1". Other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class SheetProgram:
    """One program as the sheet writes it. `milestones` are (label, start, end)."""

    name: str
    target: str = ""
    budget: object = ""  # the cell as written: text, or a number of won
    per_company: object = ""
    contacts: str = ""  # one desk per line
    milestones: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass
class SheetArea:
    """A support area's heading row and the programs under it, in sheet order."""

    name: str
    programs: list[SheetProgram]


@dataclass
class SheetSection:
    """A section's title row (운영 기관) and its areas, in sheet order."""

    name: str
    areas: list[SheetArea]


@dataclass(frozen=True)
class _Span:
    label: str
    start_month: int
    end_month: int


_THIN = Side(style="thin", color="8C959F")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_HEAD_FILL = PatternFill("solid", fgColor="E6ECF5")
_SECTION_FILL = PatternFill("solid", fgColor="F4F5F6")
_BOLD = Font(bold=True)


def _text(cell, value) -> None:
    """Write a value; text always as a string cell, so '=…' is never a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def write_plan_sheet(ws, title: str, sections: Iterable[SheetSection]) -> None:
    """Lay a plan on an empty worksheet as the center's sheet is laid out: a title
    row, the two-row header (추진일정 merged over 1월…12월, the others merged down),
    a merged row per section, 지원분야 merged down over its programs, a milestone
    per month cell merged across the months it spans. A program whose milestones
    overlap takes several rows (one per lane) under one merged 사업명 cell."""
    last = get_column_letter(LAST_COL)
    _text(ws.cell(TITLE_ROW, 1), title)
    ws.cell(TITLE_ROW, 1).font = Font(bold=True, size=14)
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")

    top, sub = HEADER_ROW, HEADER_ROW + 1
    singles = {
        COL_AREA: HEADER_AREA,
        COL_NAME: HEADER_NAME,
        COL_TARGET: HEADER_TARGET,
        COL_BUDGET: HEADER_BUDGET,
        COL_PER_COMPANY: HEADER_PER_COMPANY,
        COL_CONTACTS: HEADER_CONTACTS,
    }
    for column, text in singles.items():
        _text(ws.cell(top, column), text)
        ws.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
    _text(ws.cell(top, COL_FIRST_MONTH), HEADER_SCHEDULE)
    ws.merge_cells(
        start_row=top, start_column=COL_FIRST_MONTH, end_row=top, end_column=COL_FIRST_MONTH + 11
    )
    for index, text in enumerate(MONTH_HEADERS):
        _text(ws.cell(sub, COL_FIRST_MONTH + index), text)
    for row in (top, sub):
        for column in range(1, LAST_COL + 1):
            cell = ws.cell(row, column)
            cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEAD_FILL, _CENTER, _BORDER

    row = sub + 1
    for section in sections:
        _text(ws.cell(row, 1), section.name)
        ws.cell(row, 1).font = _BOLD
        ws.cell(row, 1).fill = _SECTION_FILL
        ws.merge_cells(f"A{row}:{last}{row}")
        row += 1
        for area in section.areas:
            area_top = row
            for program in area.programs:
                row = _write_program(ws, row, program)
            if row == area_top:
                continue  # an area without programs has no row to stand on
            _text(ws.cell(area_top, COL_AREA), area.name)
            if row - 1 > area_top:
                ws.merge_cells(
                    start_row=area_top, start_column=COL_AREA, end_row=row - 1, end_column=COL_AREA
                )

    ws.freeze_panes = f"{get_column_letter(COL_FIRST_MONTH)}{sub + 1}"
    widths = {COL_AREA: 14, COL_NAME: 26, COL_TARGET: 28, COL_BUDGET: 14}
    widths |= {COL_PER_COMPANY: 14, COL_CONTACTS: 30}
    for column in range(1, LAST_COL + 1):
        ws.column_dimensions[get_column_letter(column)].width = widths.get(column, 11)


def _write_program(ws, row: int, program: SheetProgram) -> int:
    spans = [_Span(label, start, end) for label, start, end in program.milestones]
    rows = lanes(spans)
    height = len(rows)
    values = {
        COL_NAME: program.name,
        COL_TARGET: program.target,
        COL_BUDGET: program.budget,
        COL_PER_COMPANY: program.per_company,
        COL_CONTACTS: program.contacts,
    }
    for column, value in values.items():
        if value not in (None, ""):
            _text(ws.cell(row, column), value)
        if height > 1:
            ws.merge_cells(start_row=row, start_column=column, end_row=row + height - 1,
                           end_column=column)  # fmt: skip
    for offset, lane in enumerate(rows):
        for cell in lane:
            if cell.is_empty:
                continue
            column = COL_FIRST_MONTH + cell.start_month - 1
            _text(ws.cell(row + offset, column), cell.milestone.label)
            if cell.span > 1:
                ws.merge_cells(start_row=row + offset, start_column=column, end_row=row + offset,
                               end_column=column + cell.span - 1)  # fmt: skip
    for offset in range(height):
        for column in range(1, LAST_COL + 1):
            target = ws.cell(row + offset, column)
            target.border = _BORDER
            first_month = COL_FIRST_MONTH <= column < COL_FIRST_MONTH + 12
            target.alignment = _CENTER if first_month else _WRAP
    return row + height


def write_plan_workbook(stream_or_path, title: str, sheet_name: str, sections) -> None:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_name
    write_plan_sheet(ws, title, sections)
    workbook.save(stream_or_path)


def sheet_name_for(year: int) -> str:
    return f"{year}년 추진일정"


def default_title(year: int) -> str:
    return f"{year}년 지원사업 추진일정"


# --- programs from the database ---------------------------------------------------


def sheet_sections(programs) -> list[SheetSection]:
    sections: list[SheetSection] = []
    for program in programs:
        area = program.area
        if not sections or sections[-1].name != area.section.name:
            sections.append(SheetSection(area.section.name, []))
        section = sections[-1]
        if not section.areas or section.areas[-1].name != area.name:
            section.areas.append(SheetArea(area.name, []))
        section.areas[-1].programs.append(
            SheetProgram(
                name=program.name,
                target=program.target,
                budget=program.budget_text,
                per_company=program.per_company_text,
                contacts="\n".join(desk_line(link.desk) for link in program.contact_links.all()),
                milestones=[
                    (m.label, m.start_month, m.end_month) for m in program.milestones.all()
                ],
            )
        )
    return sections
