"""Read the vetted workbook into a `SheetPlan` per worksheet with the table's header.

    plans, warnings = read_workbook(vetted, year=None, sheet=None)

openpyxl gives every row as plain values (read-only, data-only: formulas by their
saved value; memory bounded by the limits `vet` enforced); the table is parsed
from those and the merges `vet` found, collecting every error with its file,
sheet and cell before failing with `ImportFailed`. Worksheets without the header
are skipped with a warning. The layout is the README's ("The yearly sheet").
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import warnings
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException

from contacts.lines import parse_contact_line
from portal.text import compact, normalise
from programs.amounts import MAX_QUANTITY, MAX_WON, Amount, AmountTooLarge, parse_amount
from programs.sheet.layout import (
    DEFAULT_SECTION,
    DTD_REFUSED,
    EXCEL_ERRORS,
    EXPECTED_COLUMNS,
    FIELD_LABELS,
    MAX_CELLS,
    MAX_HEADER_SEARCH_ROWS,
    REQUIRED_FIELDS,
    SKIPPED_NOTE,
    ImportFailed,
    ProgramRow,
    SheetPlan,
    cell_ref,
)
from programs.sheet.vet import SheetScan, VettedFile

MONTH_LABELS = {f"{month}월" for month in range(1, 13)}
_MONTH_LABEL = re.compile(r"(\d{1,2})월")
_YEAR_IN_TITLE = re.compile(r"(20\d{2})\s*+년")
AMOUNT_EXAMPLES = "4.5천만원, 인당 최대 300만원, 6억원/7개 내외, 2식, 미정 같은 금액"


@dataclass
class _Body:
    """Where the reading of the table's body stands."""

    sections: list = field(default_factory=list)
    section: tuple[str, list] | None = None
    area: tuple[str, list] | None = None
    seen: dict[tuple[str, str], ProgramRow] = field(default_factory=dict)
    area_sections: dict[str, str] = field(default_factory=dict)
    by_anchor: dict[tuple[int, int], ProgramRow] = field(default_factory=dict)


# The same amounts and contact lines come back on many rows (and on every
# import of the same plan); both parsers are pure, and what they return is frozen.
@functools.lru_cache(maxsize=10_000, typed=True)
def _amount(raw) -> Amount:
    return parse_amount(raw if not isinstance(raw, float) or not raw.is_integer() else int(raw))


_desk = functools.lru_cache(maxsize=10_000)(parse_contact_line)


def _blank(value) -> bool:
    """Nothing in the cell: what `normalise` turns into "" (its Unicode folding
    never makes a visible character blank, nor a blank one visible)."""
    return value is None or (isinstance(value, str) and not value.strip())


class _SheetReader:
    """Parse one worksheet's rows (lists of values) into a SheetPlan."""

    def __init__(self, file_name, sheet_name, rows, scan: SheetScan, year_option, errors, warnings):
        self.file_name = file_name
        self.sheet = sheet_name
        self.rows = rows  # list of tuples; rows[0] is sheet row 1
        self.scan = scan
        self.year_option = year_option
        self.errors = errors
        self.warnings = warnings
        # (row, col) of every cell a merge covers, except its anchor -> the merge.
        self.covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        self.anchors: dict[tuple[int, int], tuple[int, int, int, int]] = {}

    # cells

    def where(self, row: int, column: int) -> str:
        return f"{self.file_name}: {self.sheet}!{cell_ref(row, column)}"

    def error(self, row, column, message) -> None:
        self.errors.append(f"{self.where(row, column)}: {message}")

    def raw(self, row: int, column: int):
        if row - 1 >= len(self.rows):
            return None
        values = self.rows[row - 1]
        value = values[column - 1] if column - 1 < len(values) else None
        if (row, column) in self.scan.formulas_without_value and value is None:
            formula = self.scan.formulas_without_value[(row, column)]
            self.error(
                row,
                column,
                f"수식 '={formula}'에 저장된 값이 없습니다 "
                "(expected 계산된 값: Excel에서 열어 다시 저장하거나 값으로 붙여 넣으세요)",
            )
            self.scan.formulas_without_value.pop((row, column))
        if isinstance(value, str) and value in EXCEL_ERRORS:
            self.error(row, column, f"오류 값 {value}이(가) 들어 있습니다 (expected 글자나 숫자)")
            return None
        return value

    def value(self, row: int, column: int):
        """The cell's value; a cell inside a merge has its anchor's value."""
        merge = self.covered.get((row, column))
        if merge:
            return self.raw(merge[0], merge[1])
        return self.raw(row, column)

    def anchor_of(self, row: int, column: int) -> tuple[int, int]:
        """The cell that holds what (row, column) shows: a merge's first cell."""
        return self.covered.get((row, column), (row, column))[:2]

    @staticmethod
    def text(value) -> str:
        if isinstance(value, datetime.datetime | datetime.date):
            return f"{value.month}.{value.day}"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return normalise(value)

    # the table

    def parse(self) -> SheetPlan | None:
        header = self.find_header()
        if header is None:
            return None
        header_top, header_bottom = header
        columns = self.read_columns(header_top, header_bottom)
        if columns is None:
            return None
        year, title = self.read_title(header_top)
        if not self.spread_merges(header_bottom):
            return None
        sections = self.read_body(header_bottom + 1, columns)
        # Formulas without a cached value that no read came across (in a row
        # that looked blank because of them): still an error, never a silent gap.
        for row, column in sorted(self.scan.formulas_without_value):
            if column <= self.last_col:
                self.raw(row, column)
        if year is None:
            return None
        plan = SheetPlan(year=year, sheet=self.sheet, title=title, sections=sections)
        if not plan.programs and not self.errors:
            # An empty table would only list (or, with --prune, delete) every program.
            self.errors.append(
                f"{self.file_name}: {self.sheet}: 표에 사업이 하나도 없습니다 "
                "(expected 머리글 아래에 사업 줄)"
            )
        return plan

    def spread_merges(self, header_bottom: int) -> bool:
        """Note which cells below the header each merge covers; False (and an
        error) for a merge too large to be part of a table."""
        for r1, c1, r2, c2 in self.scan.merges:
            if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_CELLS:
                self.error(r1, c1, "병합 범위가 너무 큽니다 (expected 표 안의 병합)")
                return False
            self.anchors[(r1, c1)] = (r1, c1, r2, c2)
            last_row = min(r2, len(self.rows))
            last_col = min(c2, self.last_col)
            for row in range(max(r1, header_bottom + 1), last_row + 1):
                for column in range(c1, last_col + 1):
                    if (row, column) != (r1, c1):
                        self.covered[(row, column)] = (r1, c1, r2, c2)
        return True

    def find_header(self) -> tuple[int, int] | None:
        for row in range(1, min(len(self.rows), MAX_HEADER_SEARCH_ROWS) + 1):
            texts = {compact(value) for value in self.rows[row - 1] if value is not None}
            if "지원분야" in texts and "사업명" in texts:
                below = (
                    {compact(v) for v in self.rows[row] if v is not None}
                    if row < len(self.rows)
                    else set()
                )
                two_rows = "추진일정" in texts or bool(below & MONTH_LABELS)
                two_rows = two_rows and not MONTH_LABELS.issubset(texts)
                return row, row + 1 if two_rows else row
        return None

    def read_columns(self, top: int, bottom: int) -> dict | None:
        width = max(len(self.rows[top - 1]), len(self.rows[bottom - 1]))
        columns: dict[str, int] = {}
        months: dict[int, int] = {}
        for column in range(1, width + 1):
            upper = compact(self.raw(top, column))
            lower = compact(self.raw(bottom, column)) if bottom != top else ""
            label = lower or upper
            if not label:
                continue
            month = _MONTH_LABEL.fullmatch(label)
            if month and 1 <= int(month.group(1)) <= 12:
                number = int(month.group(1))
                if number in months:
                    self.error(
                        bottom, column, f"'{label}' 열이 두 번 있습니다 (expected 월마다 한 열)"
                    )
                months[number] = column
                continue
            key = next((k for k, text in FIELD_LABELS.items() if text == label), None)
            if key is None and label == "추진일정":
                continue
            if key is None:
                shown = normalise(self.raw(top, column) or self.raw(bottom, column))
                self.warnings.append(
                    f"{self.where(top, column)}: 열 '{shown}'은(는) 읽지 않습니다 "
                    f"(읽는 열: {EXPECTED_COLUMNS})"
                )
                continue
            if key in columns:
                self.error(top, column, f"'{label}' 열이 두 번 있습니다 (expected 한 열)")
            columns[key] = column
        return self.check_columns(top, bottom, columns, months)

    def check_columns(self, top: int, bottom: int, columns: dict, months: dict) -> dict | None:
        missing = [FIELD_LABELS[key] for key in REQUIRED_FIELDS if key not in columns]
        missing += [f"{m}월" for m in range(1, 13) if m not in months]
        rows = f"{top}:{bottom}"
        if missing:
            self.errors.append(
                f"{self.file_name}: {self.sheet}!{rows}: 필수 열이 머리글에 없습니다: "
                f"{', '.join(missing)} (expected {EXPECTED_COLUMNS})"
            )
            return None
        month_columns = [months[m] for m in range(1, 13)]
        if month_columns != list(range(month_columns[0], month_columns[0] + 12)):
            self.errors.append(
                f"{self.file_name}: {self.sheet}!{rows}: 1월~12월 열이 차례대로 붙어 있지 않습니다 "
                "(expected 1월부터 12월까지 이웃한 열)"
            )
            return None
        columns["months"] = month_columns[0]
        self.last_col = max([*columns.values(), month_columns[-1]])
        return columns

    def read_title(self, header_top: int) -> tuple[int | None, str]:
        """The plan's year and title from the rows above the header: the first
        text naming a year ("2019년 …"), else the first text."""
        title = ""
        found_year = None
        for row in range(1, header_top):
            for column, value in enumerate(self.rows[row - 1], start=1):
                text = self.text(self.raw(row, column)) if value is not None else ""
                if not text:
                    continue
                match = _YEAR_IN_TITLE.search(text)
                if match and found_year is None:
                    found_year = int(match.group(1))
                    title = text
                title = title or text
        sheet_year = _YEAR_IN_TITLE.search(self.sheet)
        if len(title) > 200:
            self.errors.append(
                f"{self.file_name}: {self.sheet}: 제목이 {len(title)}자입니다 (expected 200자 이하)"
            )
        if self.year_option:
            if found_year and found_year != self.year_option:
                self.warnings.append(
                    f"{self.file_name}: {self.sheet}: 제목은 {found_year}년이지만 "
                    f"--year {self.year_option}(으)로 가져옵니다"
                )
            return self.year_option, title
        if found_year:
            return found_year, title
        if sheet_year:
            return int(sheet_year.group(1)), title
        self.errors.append(
            f"{self.file_name}: {self.sheet}: 연도를 알 수 없습니다: 표 위 제목 줄에 "
            "'2019년 …' 같은 연도가 없고 --year도 주지 않았습니다 "
            "(expected 제목 줄의 연도나 --year)"
        )
        return None, title

    def is_section_row(self, row: int, values: dict[int, object]) -> bool:
        if len(values) != 1:
            return False
        (column,) = values
        merge = self.anchors.get((row, column))
        return bool(merge and merge[0] == merge[2] and merge[3] - merge[1] >= 2)

    def read_body(self, first_row: int, columns: dict) -> list:
        body = _Body()
        first_month = columns["months"]
        month_cols = range(first_month, first_month + 12)
        table_columns = {columns[key] for key in REQUIRED_FIELDS} | set(month_cols)
        for row in range(first_row, len(self.rows) + 1):
            # Every text of the row (a section heading may start in a column the
            # importer skips), and the texts in the columns it reads.
            anywhere = {
                column: value
                for column, value in enumerate(self.rows[row - 1], start=1)
                if not _blank(value)
            }
            if anywhere and normalise(anywhere[min(anywhere)]).startswith(SKIPPED_NOTE):
                continue  # a note under (or inside) the table
            if self.is_section_row(row, anywhere):
                self.start_section(row, anywhere, body)
            elif any(column in table_columns for column in anywhere):
                # Else blank, only a remark in a skipped column, or only covered
                # by cells merged down from above: nothing of its own to read.
                self.read_row(row, columns, month_cols, body)
        return body.sections

    def start_section(self, row: int, values: dict[int, object], body: _Body) -> None:
        name = self.text(values[min(values)])
        if len(name) > 100:
            self.error(row, min(values), f"구분이 {len(name)}자입니다 (expected 100자 이하)")
            return
        body.section = (name, [])
        body.sections.append(body.section)
        body.area = None

    def read_row(self, row: int, columns: dict, month_cols: range, body: _Body) -> None:
        # 사업명: a cell merged down from an earlier row continues that program
        name_col = columns["name"]
        name_merge = self.covered.get((row, name_col))
        if name_merge and name_merge[0] < row:
            program = body.by_anchor.get((name_merge[0], name_col))
            if program is not None:
                self.check_continuation(row, columns, program)
                self.read_months(row, month_cols, program)
            # else the first row of the merge was refused, and said so
            return
        name = self.text(self.value(row, name_col))
        area = self.area_of(row, columns, name, body)
        if area is None:
            return
        program = ProgramRow(area=area, name=name, row=row, name_ref=cell_ref(row, name_col))
        if (area, name) in body.seen:
            first = body.seen[(area, name)]
            self.error(
                row,
                name_col,
                f"사업 '{name}'(지원분야 '{area}')이(가) {first.name_ref}에도 있습니다 "
                f"(expected 사업마다 한 줄; 여러 줄이면 사업명 칸을 병합하세요)",
            )
            return
        body.seen[(area, name)] = program
        body.by_anchor[(row, name_col)] = program
        self.read_fields(row, columns, program)
        self.read_months(row, month_cols, program)
        body.area[1].append(program)

    def area_of(self, row: int, columns: dict, name: str, body: _Body) -> str | None:
        """The row's 지원분야 (blank: the one above), placed in the current
        section; None when the row cannot be a program, after saying why."""
        area_col, name_col = columns["area"], columns["name"]
        area = self.text(self.value(row, area_col))
        if not area:
            if body.area is None:
                self.error(row, area_col, "지원분야가 비어 있습니다 (expected 지원분야 이름)")
                return None
            area = body.area[0]
        if not name:
            self.error(row, name_col, "사업명이 비어 있습니다 (expected 사업 이름)")
            return None
        if len(name) > 200:
            self.error(row, name_col, f"사업명이 {len(name)}자입니다 (expected 200자 이하)")
            return None
        if len(area) > 100:
            self.error(row, area_col, f"지원분야가 {len(area)}자입니다 (expected 100자 이하)")
            return None
        if body.section is None:
            body.section = (DEFAULT_SECTION, [])
            body.sections.append(body.section)
        section_name = body.section[0]
        if body.area_sections.get(area, section_name) != section_name:
            self.error(
                row,
                area_col,
                f"지원분야 '{area}'가 구분 '{body.area_sections[area]}'에도 있습니다 "
                "(expected 한 해에 지원분야 이름은 하나의 구분에만)",
            )
            return None
        body.area_sections[area] = section_name
        if body.area is None or body.area[0] != area:
            body.area = next((a for a in body.section[1] if a[0] == area), None)
            if body.area is None:
                body.area = (area, [])
                body.section[1].append(body.area)
        return area

    def read_fields(self, row: int, columns: dict, program: ProgramRow) -> None:
        for key in ("target", "budget", "per_company", "contacts"):
            program.raw[key] = self.value(row, columns[key])
        program.target = self.text(program.raw["target"])
        for key in ("budget", "per_company"):
            amount = self.read_amount(FIELD_LABELS[key], program.raw[key])
            if isinstance(amount, str):
                self.error(*self.anchor_of(row, columns[key]), amount)
            else:
                setattr(program, key, amount)
        raw_contacts = program.raw["contacts"]
        place_row, place_col = self.anchor_of(row, columns["contacts"])
        lines = str(raw_contacts).splitlines() if raw_contacts is not None else []
        for line in lines:
            if not line.strip():
                continue
            try:
                desk = _desk(self.text(line))
            except ValueError as exc:
                self.error(
                    place_row,
                    place_col,
                    f"문의처 '{normalise(line)}': {exc} "
                    "(expected 한 줄에 하나씩 '판로지원팀 070-4267-5044' 같은 팀·기관과 전화번호)",
                )
                continue
            if desk.key not in [d.key for d in program.desks]:
                program.desks.append(desk)

    @staticmethod
    def read_amount(label: str, raw) -> Amount | str:
        """The 지원규모/업체평균 cell as an Amount, or what is wrong with it."""
        if isinstance(raw, datetime.datetime | datetime.date | datetime.time | bool):
            return (
                f"{label} 칸에 '{raw}'이(가) 있습니다 "
                "(expected 4.5천만원, 인당 최대 300만원, 45000000 같은 금액)"
            )
        try:
            amount = _amount(raw if not isinstance(raw, str) else normalise(raw))
        except AmountTooLarge:
            return (
                f"{label} '{normalise(raw)}'의 숫자가 너무 큽니다 "
                f"(expected {MAX_WON:,}원, 수량 {MAX_QUANTITY:,} 이하)"
            )
        except (ValueError, ArithmeticError):
            unreadable = f"{label} '{normalise(raw)}'를 금액으로 읽을 수 없습니다"
            return f"{unreadable} (expected {AMOUNT_EXAMPLES})"
        if len(amount.text) > 100:
            return f"{label}가 {len(amount.text)}자입니다 (expected 100자 이하)"
        return amount

    def check_continuation(self, row: int, columns: dict, program: ProgramRow) -> None:
        for key in ("area", "target", "budget", "per_company", "contacts"):
            column = columns[key]
            value = self.value(row, column)
            if _blank(value):
                continue
            first = program.area if key == "area" else program.raw.get(key)
            if normalise(value) != normalise(first):
                self.error(
                    row,
                    column,
                    f"사업 '{program.name}'의 이어지는 줄에 다른 {FIELD_LABELS[key]} "
                    f"'{normalise(value)}'가 있습니다 "
                    f"(expected 빈 칸이나 {program.name_ref} 줄과 같은 값)",
                )

    def read_months(self, row: int, month_cols: range, program: ProgramRow) -> None:
        first = month_cols[0]
        taken = {start for _, start, _ in program.milestones}
        for column in month_cols:
            merge = self.anchors.get((row, column)) or self.covered.get((row, column))
            if merge:
                r1, c1, _r2, c2 = merge
                if c1 != column:
                    continue  # inside a span that starts in an earlier month
                if c2 > month_cols[-1] or c1 < first:
                    self.error(
                        r1,
                        c1,
                        "일정 칸의 병합이 1월~12월 열 밖으로 나갑니다 (expected 월 열 안의 병합)",
                    )
                    continue
                value = self.raw(r1, c1)
                end_column = c2
            else:
                value = self.raw(row, column)
                end_column = column
            label = self.text(value)
            if not label:
                continue
            if len(label) > 200:
                self.error(row, column, f"일정이 {len(label)}자입니다 (expected 200자 이하)")
                continue
            start, end = column - first + 1, end_column - first + 1
            if start in taken:
                self.error(
                    row,
                    column,
                    f"사업 '{program.name}'의 {start}월에 시작하는 일정이 둘입니다 "
                    "(expected 한 달에 시작하는 일정은 하나)",
                )
                continue
            taken.add(start)
            program.milestones.append((label, start, end))


def _caused_by_defusedxml(exc: BaseException | None) -> bool:
    """openpyxl wraps parse errors in its own; look down the chain."""
    for _ in range(10):
        if exc is None:
            return False
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _open_workbook(vetted: VettedFile):
    import openpyxl

    name = vetted.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            return openpyxl.load_workbook(
                io.BytesIO(vetted.data), read_only=True, data_only=True, keep_links=False
            )
    except Exception as exc:
        if _caused_by_defusedxml(exc):
            raise ImportFailed([f"{name}: 통합 문서{DTD_REFUSED}"], name, vetted.sha256) from None
        raise ImportFailed(
            [f"{name}: Excel 통합 문서를 열 수 없습니다: {type(exc).__name__}: {exc}"],
            name,
            vetted.sha256,
        ) from None


def _sheet_rows(ws, name: str, errors: list[str]) -> list[tuple] | None:
    """Every row of the worksheet as a tuple of values; None (and an error) when
    openpyxl cannot read it."""
    ws.reset_dimensions()  # a wrong <dimension> must not cut rows off
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return [tuple(values) for values in ws.iter_rows(values_only=True)]
    except Exception as exc:
        if _caused_by_defusedxml(exc):
            errors.append(f"{name}: {ws.title}: 시트{DTD_REFUSED}")
        else:
            errors.append(
                f"{name}: {ws.title}: 시트를 읽을 수 없습니다: {type(exc).__name__}: {exc}"
            )
        return None


def read_workbook(vetted: VettedFile, year: int | None, sheet: str | None):
    """Parse every worksheet that has the header. Returns (plans, warnings)."""
    errors: list[str] = []
    found_warnings: list[str] = []
    name = vetted.name
    if sheet is not None and sheet not in vetted.sheets:
        raise ImportFailed(
            [f"{name}: 시트 '{sheet}'가 없습니다 (expected {', '.join(vetted.sheets)} 중 하나)"],
            name,
            vetted.sha256,
        )
    workbook = _open_workbook(vetted)
    plans: list[SheetPlan] = []
    try:
        for ws in workbook.worksheets:
            if sheet is not None and ws.title != sheet:
                continue
            rows = _sheet_rows(ws, name, errors)
            if rows is None:
                continue
            scan = vetted.sheets.get(ws.title, SheetScan())
            reader = _SheetReader(name, ws.title, rows, scan, year, errors, found_warnings)
            plan = reader.parse()
            if plan is None:
                if reader.find_header() is None:
                    found_warnings.append(f"{name}: {ws.title}: 표 머리글이 없어 건너뜁니다")
                continue
            plans.append(plan)
    finally:
        workbook.close()
    if not plans and not errors:
        errors.append(
            f"{name}: 어느 시트에서도 표 머리글을 찾지 못했습니다 (expected {EXPECTED_COLUMNS})"
        )
    years: dict[int, str] = {}
    for plan in plans:
        if plan.year in years:
            errors.append(
                f"{name}: {plan.sheet}: {plan.year}년 표가 시트 '{years[plan.year]}'에도 있습니다 "
                "(expected 한 연도에 시트 하나; --sheet로 고르세요)"
            )
        years[plan.year] = plan.sheet
    if errors:
        raise ImportFailed(errors, name, vetted.sha256)
    return plans, found_warnings
