"""The worksheet XML is read by an XML parser, not by patterns: however a valid
sheet writes its attributes, its merges and formulas read the same, and
whatever an attribute holds, the answer is the import or a clear refusal."""

import re
import tempfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.models import Program
from programs.sheet.layout import ImportFailed
from programs.sheet.read import read_workbook
from programs.sheet.vet import vet_file
from programs.sheet.write import SheetArea, SheetProgram, SheetSection
from tests.support.xlsx_helpers import (
    part_text,
    plan_workbook,
    refusal,
    run_import,
    snapshot,
    with_sheet_xml,
    workbook_bytes,
    write_file,
)


def many_merges_plan() -> list[SheetSection]:
    """17 programs in two sections; every third one overlaps itself and takes
    two rows. The sheet has 67 merged ranges."""
    programs = []
    for n in range(17):
        if n % 3:
            milestones = [("공고/접수", 2, 2), ("사업수행", 4, 10)]
        else:
            milestones = [("상시 접수", 1, 12), ("중간점검 (6.15)", 6, 6), ("성과공유", 11, 12)]
        programs.append(
            SheetProgram(
                f"사업 {n}",
                target="서울시 협동조합",
                budget=f"{n + 1}천만원",
                contacts="운영팀 070-7873-1435",
                milestones=milestones,
            )
        )
    areas = [SheetArea(f"분야 {a}", programs[a * 4 : (a + 1) * 4]) for a in range(5)]
    return [
        SheetSection("협동조합 지원사업", areas[:2]),
        SheetSection("사회적경제 지원사업", areas[2:]),
    ]


def single_quoted(xml: str) -> str:
    return re.sub(r'(\s[\w:]+)="([^"]*)"', r"\1='\2'", xml)


def spaced(xml: str) -> str:
    """Whitespace around '=' and between attributes, which XML allows."""
    return re.sub(r'(\s[\w:]+)="([^"]*)"', '\\1 =\n  "\\2"', xml)


def months_by_program() -> dict[str, list[tuple[str, int, int]]]:
    return {
        program.name: [(m.label, m.start_month, m.end_month) for m in program.milestones.all()]
        for program in Program.objects.prefetch_related("milestones")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("rewrite", [single_quoted, spaced])
def test_merges_written_another_valid_way_read_like_the_usual_ones(tmp_path, rewrite):
    workbook = plan_workbook(many_merges_plan())
    assert len(workbook.active.merged_cells.ranges) == 67
    usual = workbook_bytes(workbook)
    rewritten = with_sheet_xml(usual, rewrite(part_text(usual)))
    assert 'mergeCell ref="' not in part_text(rewritten)

    run_import(write_file(tmp_path, usual, "usual.xlsx"))
    expected = months_by_program()
    assert expected["사업 0"] == [
        ("상시 접수", 1, 12),
        ("중간점검 (6.15)", 6, 6),
        ("성과공유", 11, 12),
    ]
    assert expected["사업 1"] == [("공고/접수", 2, 2), ("사업수행", 4, 10)]
    out = run_import(write_file(tmp_path, rewritten, "rewritten.xlsx"))
    assert out.splitlines()[0] == "2019년: 0 created, 0 updated, 17 unchanged, 0 missing"
    assert months_by_program() == expected


@pytest.mark.django_db
def test_a_formula_without_a_value_in_a_cell_without_an_address_is_still_reported(tmp_path):
    """A cell may leave out its address; it is then the one after the cell before it."""
    before = snapshot()
    workbook = plan_workbook()
    workbook.active["P7"] = '="4.5천"&"만원"'
    data = workbook_bytes(workbook)
    xml = part_text(data)
    cell = re.search(r'<c r="P7"([^>]*)><f>(.*?)</f><v\s*/>', xml)
    assert cell
    xml = xml.replace(cell.group(0), f"<c{cell.group(1)}><f>{cell.group(2)}</f><v/>")
    assert refusal(write_file(tmp_path, with_sheet_xml(data, xml))) == [
        'plan.xlsx: 2019년 추진일정!P7: 수식 \'="4.5천"&"만원"\'에 저장된 값이 없습니다 '
        "(expected 계산된 값: Excel에서 열어 다시 저장하거나 값으로 붙여 넣으세요)"
    ]
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("ref", ["A1:B", "AAAA1:B2", "", "A0:B2", "XFE1:XFE2", "B:C"])
def test_a_merge_range_that_is_not_one_is_refused_naming_it(tmp_path, ref):
    before = snapshot()
    data = workbook_bytes()
    xml = part_text(data).replace('<mergeCell ref="A6:A7"', f"<mergeCell ref={quoteattr(ref)}")
    assert refusal(write_file(tmp_path, with_sheet_xml(data, xml))) == [
        f"plan.xlsx: 2019년 추진일정: 병합 범위 '{ref}'를 읽을 수 없습니다 "
        "(expected B6:B9 같은 칸 범위)"
    ]
    assert snapshot() == before


def vet_and_read(data: bytes) -> None:
    """Vet and read the file as the import does, without the database."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "plan.xlsx"
        path.write_bytes(data)
        try:
            read_workbook(vet_file(path), None, None)
        except ImportFailed as failure:
            assert failure.errors
            assert all(error.startswith("plan.xlsx: ") for error in failure.errors)


PLAN = workbook_bytes()
PLAN_XML = part_text(PLAN)
REFERENCE_TEXT = st.one_of(
    st.text(max_size=30),
    st.from_regex(
        r"\$?[A-Za-z]{0,4}\$?[0-9]{0,8}(:\$?[A-Za-z]{0,4}\$?[0-9]{0,8})?", fullmatch=True
    ),
    st.integers().map(str),
)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(merge=REFERENCE_TEXT, cell=REFERENCE_TEXT, row=REFERENCE_TEXT)
def test_any_address_in_the_xml_gives_the_import_or_a_refusal(merge, cell, row):
    xml = PLAN_XML.replace('<mergeCell ref="B8:B9"', f"<mergeCell ref={quoteattr(merge)}", 1)
    xml = xml.replace('<c r="P7"', f"<c r={quoteattr(cell)}", 1)
    xml = xml.replace('<row r="8"', f"<row r={quoteattr(row)}", 1)
    vet_and_read(with_sheet_xml(PLAN, xml))
