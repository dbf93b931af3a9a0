"""Build yearly sheets in tests, run the import command, and snapshot the database."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.core.management import CommandError, call_command
from openpyxl import Workbook

from contacts.models import ContactDesk
from programs.models import Plan, Program, ProgramContact, Section, SupportArea
from programs.sheet.write import SheetArea, SheetProgram, SheetSection, write_plan_sheet
from schedules.models import Milestone

SHEET = "2019년 추진일정"
SHEET_PART = "xl/worksheets/sheet1.xml"
TITLE = "2019년 지원사업 추진일정"
HEADER = ["지원분야", "사업명", *(f"{m}월" for m in range(1, 13))]
HEADER += ["지원대상", "지원규모", "업체평균", "문의처"]
# Where write_plan_sheet puts things: row 1 title, rows 3–4 header, row 5 the
# first section, programs from row 6; A area, B name, C–N months, O target,
# P budget, Q per company, R contacts.
FIRST_ROW = 6


def small_plan() -> list[SheetSection]:
    return [
        SheetSection(
            "협동조합 지원사업",
            [
                SheetArea(
                    "교육지원",
                    [
                        SheetProgram(
                            "입문교육",
                            target="서울시민, 예비협동조합",
                            contacts="서울시협동조합지원센터 070-4168-8323",
                            milestones=[("공지/접수", 2, 2), ("교육진행", 3, 12)],
                        ),
                        SheetProgram(
                            "창업교육",
                            target="서울시민, 예비협동조합",
                            budget="4.5천만원",
                            per_company="최대 7천만원",
                            contacts="서울시협동조합지원센터 070-4168-8536",
                            milestones=[("공고/접수/선정", 3, 3), ("사업수행", 4, 11)],
                        ),
                    ],
                ),
                SheetArea(
                    "컨설팅",
                    [
                        SheetProgram(
                            "창업컨설팅",
                            target="서울시 예비협동조합",
                            budget="24개",
                            contacts="서울시협동조합지원센터 070-4168-8536",
                            milestones=[
                                ("공고/접수/선정", 3, 3),
                                ("사업수행(4~6월)", 4, 6),
                                ("공고/접수/선정", 6, 6),
                                ("사업수행(7~11월)", 7, 11),
                            ],
                        ),
                    ],
                ),
            ],
        )
    ]


def plan_workbook(sections=None, title: str = TITLE, sheet: str = SHEET) -> Workbook:
    """A workbook laid out as the center's sheet (the exporter's layout)."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    write_plan_sheet(ws, title, small_plan() if sections is None else sections)
    return workbook


def rows_workbook(rows, merges=(), sheet: str = SHEET) -> Workbook:
    """A workbook from plain rows (lists of values, row 1 first) and merge ranges."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for merge in merges:
        ws.merge_cells(merge)
    return workbook


def save(workbook: Workbook, directory: Path, name: str = "plan.xlsx") -> Path:
    path = directory / name
    workbook.save(path)
    return path


def write_file(directory: Path, data: bytes, name: str = "plan.xlsx") -> Path:
    """The bytes of a file as an uploader would hand them over, saved to import."""
    path = directory / name
    path.write_bytes(data)
    return path


def workbook_bytes(workbook: Workbook | None = None) -> bytes:
    """The workbook (by default the small plan) as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    (workbook or plan_workbook()).save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict | None = None) -> bytes:
    """The same xlsx with some parts replaced or added."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def with_sheet_xml(data: bytes, xml: str) -> bytes:
    """The same xlsx with its worksheet's XML replaced by `xml`."""
    return rezip(data, replace={SHEET_PART: xml.encode()})


def part_text(data: bytes, part: str = SHEET_PART) -> str:
    """One XML part of an xlsx, as text (openpyxl writes UTF-8)."""
    return zipfile.ZipFile(io.BytesIO(data)).read(part).decode()


def run_import(path, *args, **options) -> str:
    out = io.StringIO()
    call_command("import_programs", str(path), *args, stdout=out, **options)
    return out.getvalue()


def import_error(path, *args, **options) -> str:
    """The CommandError message of an import that must fail."""
    try:
        run_import(path, *args, **options)
    except CommandError as exc:
        return str(exc)
    raise AssertionError("the import did not fail")


def error_lines(message: str) -> list[str]:
    """The error lines of a failed import, without the heading line."""
    return message.splitlines()[1:]


def refusal(path, *args, **options) -> list[str]:
    """The error lines of an import of `path` that must fail."""
    return error_lines(import_error(path, *args, **options))


def refusal_with_cells(directory: Path, **cells) -> list[str]:
    """The error lines of importing the small plan with `cells` (P7="…") rewritten."""
    workbook = plan_workbook()
    for cell, value in cells.items():
        workbook.active[cell] = value
    return refusal(save(workbook, directory))


def snapshot() -> tuple:
    """Everything an import may write, to assert a failed import changed nothing."""
    return (
        list(Plan.objects.order_by("year").values()),
        list(Section.objects.order_by("pk").values()),
        list(SupportArea.objects.order_by("pk").values()),
        list(Program.objects.order_by("pk").values()),
        list(Milestone.objects.order_by("pk").values()),
        list(ProgramContact.objects.order_by("pk").values()),
        list(ContactDesk.objects.order_by("pk").values()),
    )
