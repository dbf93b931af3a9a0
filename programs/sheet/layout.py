"""The layout of the yearly sheet, the limits a file must keep, the plain data a
sheet reads into (`SheetPlan`, `ProgramRow`), and cell references.

The reader (`programs.sheet.read`) finds columns by these header texts; the
writer (`programs.sheet.write`) puts them where the centers do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries

from programs.amounts import Amount

if TYPE_CHECKING:
    from contacts.lines import DeskSpec

HEADER_AREA = "지원분야"
HEADER_NAME = "사업명"
HEADER_SCHEDULE = "추진일정"
HEADER_TARGET = "지원대상"
HEADER_BUDGET = "지원규모"
HEADER_PER_COMPANY = "업체평균"
HEADER_CONTACTS = "문의처"
MONTH_HEADERS = [f"{month}월" for month in range(1, 13)]

FIELD_LABELS = {
    "area": HEADER_AREA,
    "name": HEADER_NAME,
    "target": HEADER_TARGET,
    "budget": HEADER_BUDGET,
    "per_company": HEADER_PER_COMPANY,
    "contacts": HEADER_CONTACTS,
}
REQUIRED_FIELDS = ("area", "name", "target", "budget", "per_company", "contacts")
EXPECTED_COLUMNS = "지원분야, 사업명, 추진일정(1월~12월), 지원대상, 지원규모, 업체평균, 문의처"
DEFAULT_SECTION = "지원사업"
SKIPPED_NOTE = "※"
EXCEL_ERRORS = frozenset(ERROR_CODES)

# --- limits -----------------------------------------------------------------------
# The 2019 plan is 44 programs in ~60 rows; the benchmark sheet (50x) ~2,200.
# These leave ample room above that and refuse what cannot be a yearly plan.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all parts together, as declared
MAX_RATIO = 100  # declared uncompressed / compressed, for parts over 1 MB
RATIO_MIN_BYTES = 1024 * 1024
MAX_ROWS = 20_000  # per worksheet
MAX_CELLS = 500_000  # per worksheet
# Every element of the sheet, whatever it is called: a cell is at most three
# (<c><is><t>, <c><f><v>); the 50x benchmark sheet has about 150,000.
MAX_ELEMENTS = 1_000_000
MAX_HEADER_SEARCH_ROWS = 50

# The largest sheet Excel makes: references beyond it are not cells.
SHEET_MAX_ROW = 1_048_576
SHEET_MAX_COLUMN = 16_384

DTD_REFUSED = (
    "에 DTD/엔티티 선언이 있어 읽지 않습니다 (XML 폭탄 방지; expected Excel이 저장한 .xlsx)"
)


class ImportFailed(Exception):
    """The file cannot be imported; nothing was written. `errors` are full lines."""

    def __init__(self, errors: list[str], file_name: str = "", sha256: str = ""):
        self.errors = errors
        self.file_name = file_name
        self.sha256 = sha256
        super().__init__("\n".join(errors))


def failure(file_name: str, message: str) -> ImportFailed:
    return ImportFailed([f"{file_name}: {message}"], file_name)


# --- what a sheet reads into ------------------------------------------------------------


@dataclass
class ProgramRow:
    area: str
    name: str
    row: int  # first sheet row
    name_ref: str
    target: str = ""
    budget: Amount = field(default_factory=Amount)
    per_company: Amount = field(default_factory=Amount)
    desks: list[DeskSpec] = field(default_factory=list)
    milestones: list[tuple[str, int, int]] = field(default_factory=list)
    raw: dict[str, object] = field(default_factory=dict)  # non-month cells, for continuation rows


@dataclass
class SheetPlan:
    year: int
    sheet: str
    title: str
    sections: list[tuple[str, list[tuple[str, list[ProgramRow]]]]]  # (section, [(area, programs)])

    @property
    def programs(self) -> list[ProgramRow]:
        return [p for _, areas in self.sections for _, programs in areas for p in programs]


# --- cell references -------------------------------------------------------------------


def parse_range(text: str) -> tuple[int, int, int, int]:
    """'C7:F7' -> (7, 3, 7, 6) as (first row, first column, last row, last column),
    whichever corners it names; 'F7' is a range of one cell. ValueError for
    anything that is not a block of cells on a sheet (whole columns, 'A0', 'XFE1')."""
    try:
        c1, r1, c2, r2 = range_boundaries(text)
    except (ValueError, TypeError):
        raise ValueError(text) from None
    corners = (r1, c1, r2, c2)
    if None in corners:
        raise ValueError(text)
    first_row, first_column = min(r1, r2), min(c1, c2)
    last_row, last_column = max(r1, r2), max(c1, c2)
    if first_row < 1 or first_column < 1:
        raise ValueError(text)
    if last_row > SHEET_MAX_ROW or last_column > SHEET_MAX_COLUMN:
        raise ValueError(text)
    return first_row, first_column, last_row, last_column


def parse_ref(ref: str) -> tuple[int, int]:
    """'F17' -> (17, 6), read as openpyxl reads a cell's address, so a cell found
    here is the cell openpyxl gives the value of. ValueError for anything else."""
    try:
        row, column = coordinate_to_tuple(ref) if ref else (0, 0)
    except ValueError:
        raise ValueError(ref) from None
    if not (1 <= row <= SHEET_MAX_ROW and 1 <= column <= SHEET_MAX_COLUMN):
        raise ValueError(ref)
    return row, column


def cell_ref(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"
