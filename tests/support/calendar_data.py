"""A small plan for the calendar, month view and feed tests: every case the
2019 sheet has (spans, overlaps, exact dates, two sections) in four programs;
and the shipped sheet read with openpyxl alone, as the expectation for the
2019 plan."""

import re
from dataclasses import dataclass, field

import openpyxl

from tests.support.paths import PLAN_2019_XLSX

PLAN_2019 = PLAN_2019_XLSX


def build_small_plan(make_program):
    """Two sections, three areas, four programs, in sheet order."""
    return {
        "purchase": make_program(
            "공공구매 상담회",
            section="서울시사회적경제지원센터 지원사업",
            area="공공구매 활성화",
            target="서울시 사회적경제기업",
            milestones=[("사전설명회 (2.11)", 1, 1), ("상담회 (2.27-28)", 2, 2)],
            contacts=[("", "공공구매영업지원단", "+827042703942")],
            eligibility=["social-economy-enterprise"],
        ),
        "startup": make_program(
            "창업컨설팅",
            section="협동조합 지원사업",
            area="컨설팅",
            target="서울시 예비협동조합",
            milestones=[
                ("공고/접수/선정", 3, 3),
                ("사업수행(4~6월)", 4, 6),
                ("공고/접수/선정", 7, 7),
                ("사업수행(7~11월)", 8, 11),
            ],
            eligibility=["pre-cooperative"],
        ),
        "growth": make_program(
            "맞춤형 성장지원",
            section="협동조합 지원사업",
            area="컨설팅",
            target="서울시 협동조합",
            milestones=[("공고/접수/선정", 3, 3), ("사업수행(4~11월)", 4, 11)],
            eligibility=["cooperative"],
        ),
        "visiting": make_program(
            "찾아가는 협동조합 교육",
            section="협동조합 지원사업",
            area="교육지원",
            target="서울시 예비(사회적)협동조합",
            milestones=[("교육진행(1~12월 수시신청)", 1, 12), ("공지/접수", 3, 3)],
            eligibility=["pre-cooperative", "social-cooperative"],
        ),
    }


@dataclass
class SheetProgram:
    section: str
    area: str
    name: str
    target: str = ""
    # (label, first month, last month) as the month cells of the sheet say
    milestones: list[tuple[str, int, int]] = field(default_factory=list)


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def read_sheet(path) -> list[SheetProgram]:
    """The programs of a yearly sheet read straight from its cells with openpyxl,
    the way a person reads the table: section rows, merged area cells, a month
    cell (merged across months for a span) per milestone, a program name merged
    down over several rows for a program that needs them. Independent of the
    importer, so the calendar can be checked against the sheet itself."""
    sheet = next(ws for ws in openpyxl.load_workbook(path) if _find(ws, "사업명"))
    anchor_of = {}
    for merged in sheet.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                anchor_of[(row, column)] = merged

    header_row, name_col = _find(sheet, "사업명")
    _, area_col = _find(sheet, "지원분야")
    _, target_col = _find(sheet, "지원대상")
    month_cols = {}
    for row in (header_row, header_row + 1):
        for cell in sheet[row]:
            found = re.fullmatch(r"(\d{1,2})월", _text(cell.value))
            if found:
                month_cols[cell.column] = int(found.group(1))

    def value(row, column):
        merged = anchor_of.get((row, column))
        if merged:
            return sheet.cell(merged.min_row, merged.min_col).value
        return sheet.cell(row, column).value

    programs: dict[tuple, SheetProgram] = {}
    section = ""
    for row in range(header_row + 2, sheet.max_row + 1):
        texts = [_text(c.value) for c in sheet[row] if _text(c.value)]
        if not texts or texts[0].startswith("※"):
            continue
        first = anchor_of.get((row, 1))
        if len(texts) == 1 and first and first.max_col - first.min_col >= 2:
            section = texts[0]
            continue
        area, name = _text(value(row, area_col)), _text(value(row, name_col))
        program = programs.setdefault(
            (area, name),
            SheetProgram(section, area, name, _text(value(row, target_col))),
        )
        for column, month in month_cols.items():
            merged = anchor_of.get((row, column))
            if merged and (merged.min_row, merged.min_col) != (row, column):
                continue  # inside a span that starts elsewhere
            label = _text(sheet.cell(row, column).value)
            if label:
                last = month_cols[merged.max_col] if merged else month
                program.milestones.append((label, month, last))
    for program in programs.values():
        program.milestones.sort(key=lambda m: m[1])
    return list(programs.values())


def _find(sheet, text):
    for row in sheet.iter_rows(max_row=20):
        for cell in row:
            if _text(cell.value).replace(" ", "") == text:
                return cell.row, cell.column
    return None
