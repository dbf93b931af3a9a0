"""Files that are not what they claim, or are built to hurt: each gets a clear
error naming the file (and sheet and cell where there is one), is refused
before anything large is built in memory, and leaves the database as it was."""

import io
import random
import re
import struct
import zipfile

import defusedxml
import openpyxl
import openpyxl.xml
import openpyxl.xml.functions
import pytest

from programs.models import Program
from programs.sheet import layout
from tests.support.xlsx_helpers import (
    SHEET_PART,
    part_text,
    plan_workbook,
    refusal,
    rezip,
    run_import,
    snapshot,
    with_sheet_xml,
    workbook_bytes,
    write_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def before(make_program):
    """A plan already in the database, and its snapshot."""
    make_program(
        "기존 사업", milestones=[("공고/접수", 3, 3)], contacts=[("", "운영팀", "+827078731435")]
    )
    return snapshot()


def plan_bytes() -> bytes:
    return workbook_bytes()


def sheet_xml(data: bytes) -> str:
    return part_text(data)


# --- not an xlsx -------------------------------------------------------------------


def test_a_csv_renamed_to_xlsx_is_refused(tmp_path, before):
    path = write_file(tmp_path, "지원분야,사업명\n교육지원,입문교육\n".encode())
    assert refusal(path) == [
        "plan.xlsx: xlsx 파일이 아니라 글자 파일(CSV 등)입니다 (expected Excel 통합 문서 .xlsx)"
    ]
    assert snapshot() == before


def test_an_old_xls_workbook_is_refused_with_what_to_do(tmp_path, before):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088)
    assert refusal(write_file(tmp_path, ole, "plan.xls")) == [
        "plan.xls: Excel 97-2003(.xls) 형식이거나 암호가 걸린 통합 문서입니다 "
        "(expected .xlsx: Excel에서 'Excel 통합 문서(*.xlsx)'로 저장하세요)"
    ]
    assert snapshot() == before


def test_random_bytes_are_refused(tmp_path, before):
    noise = random.Random(3).randbytes(64 * 1024)
    assert refusal(write_file(tmp_path, noise)) == [
        "plan.xlsx: xlsx 파일이 아닙니다: zip 형식이 아닙니다 (expected Excel 통합 문서 .xlsx)"
    ]
    assert snapshot() == before


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path, before):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("plan.csv", "지원분야,사업명\n")
    assert refusal(write_file(tmp_path, buffer.getvalue())) == [
        "plan.xlsx: zip 파일이지만 Excel 통합 문서가 아닙니다: xl/workbook.xml이 없습니다 "
        "(expected Excel 통합 문서 .xlsx)"
    ]
    assert snapshot() == before


def test_a_truncated_workbook_is_refused(tmp_path, before):
    data = plan_bytes()
    assert refusal(write_file(tmp_path, data[: len(data) // 2])) == [
        "plan.xlsx: zip 파일이 손상되었습니다: File is not a zip file "
        "(expected Excel 통합 문서 .xlsx)"
    ]
    assert snapshot() == before


def test_a_missing_file_is_named(tmp_path, before):
    assert refusal(tmp_path / "없는.xlsx") == [
        "없는.xlsx: 파일이 없습니다 (expected 읽을 수 있는 .xlsx 파일 경로)"
    ]


# --- bombs and giants ------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path, before):
    data = rezip(plan_bytes(), replace={SHEET_PART: b" " * 20_000_000})
    packed = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET_PART).compress_size
    assert refusal(write_file(tmp_path, data)) == [
        f"plan.xlsx: 압축 폭탄으로 보입니다: {SHEET_PART}이(가) {packed:,} 바이트에서 "
        "20,000,000 바이트로 풀립니다 (expected 압축률 100배 이하)"
    ]
    assert snapshot() == before


def test_a_zip_declaring_more_than_the_limit_is_refused_before_reading(tmp_path, before):
    data = bytearray(plan_bytes())
    # Claim 300 MB for the sheet in the central directory, at a plausible ratio.
    header = data.index(b"PK\x01\x02")
    while data[header + 46 : header + 46 + len(SHEET_PART)] != SHEET_PART.encode():
        header = data.index(b"PK\x01\x02", header + 4)
    struct.pack_into("<II", data, header + 20, 300_000_000, 300_000_000)
    total = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist())
    assert refusal(write_file(tmp_path, bytes(data))) == [
        f"plan.xlsx: 압축을 풀면 {total / 1024 / 1024:,.0f} MB입니다: 압축 폭탄으로 보입니다 "
        "(expected 200 MB 이하)"
    ]
    assert snapshot() == before


def giant_sheet(body: bytes) -> bytes:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:A1"/><sheetData>' + body + b"</sheetData></worksheet>"
    )
    return rezip(plan_bytes(), replace={SHEET_PART: xml})


def test_a_sheet_of_a_million_rows_is_refused_before_it_is_parsed(tmp_path, before):
    rows = b"".join(b'<row r="%d"/>' % n for n in range(1, 1_000_001))
    assert refusal(write_file(tmp_path, giant_sheet(rows))) == [
        "plan.xlsx: 2019년 추진일정: 시트가 너무 큽니다: 행이 20,000개를 넘습니다 "
        "(expected 행 20,000개, 칸 500,000개 이하)"
    ]
    assert snapshot() == before


def test_a_row_of_six_hundred_thousand_cells_is_refused(tmp_path, before):
    cells = b"".join(b'<c r="A%d"><v>%d</v></c>' % (n, n) for n in range(1, 600_001))
    assert refusal(write_file(tmp_path, giant_sheet(b'<row r="1">' + cells + b"</row>"))) == [
        "plan.xlsx: 2019년 추진일정: 시트가 너무 큽니다: 칸이 500,000개를 넘습니다 "
        "(expected 행 20,000개, 칸 500,000개 이하)"
    ]
    assert snapshot() == before


def test_cells_written_under_another_namespace_prefix_are_still_bounded(tmp_path, before):
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    cells = b"".join(b'<y:c r="A%d"><y:v>1</y:v></y:c>' % n for n in range(1, 600_001))
    body = b'<y:row xmlns:y="' + main + b'" r="1">' + cells + b"</y:row>"
    assert refusal(write_file(tmp_path, giant_sheet(body))) == [
        "plan.xlsx: 2019년 추진일정: 시트가 너무 큽니다: XML 요소가 1,000,000개를 넘습니다 "
        "(expected 행 20,000개, 칸 500,000개 이하)"
    ]
    assert snapshot() == before


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10 if n > 1 else b"&lol;" * 10)
        for n in range(1, 10)
    )
    + b"]>"
)


def test_billion_laughs_in_a_part_is_refused(tmp_path, before):
    xml = sheet_xml(plan_bytes()).encode()
    bomb = LAUGHS + xml[xml.index(b"<worksheet") :].replace(b"<sheetData>", b"<sheetData>&lol9;")
    assert refusal(write_file(tmp_path, rezip(plan_bytes(), replace={SHEET_PART: bomb}))) == [
        f"plan.xlsx: {SHEET_PART}에 DTD/엔티티 선언이 있어 읽지 않습니다 "
        "(XML 폭탄 방지; expected Excel이 저장한 .xlsx)"
    ]
    assert snapshot() == before


def test_billion_laughs_hidden_after_a_long_comment_is_refused_naming_the_part(tmp_path, before):
    xml = sheet_xml(plan_bytes()).encode()
    padding = b"<!--" + b"x" * 10_000 + b"-->"
    body = xml[xml.index(b"<worksheet") :].replace(b"<sheetData>", b"<sheetData>&lol9;")
    bomb = b'<?xml version="1.0"?>' + padding + LAUGHS[len(b'<?xml version="1.0"?>') :] + body
    assert refusal(write_file(tmp_path, rezip(plan_bytes(), replace={SHEET_PART: bomb}))) == [
        f"plan.xlsx: {SHEET_PART}에 DTD/엔티티 선언이 있어 읽지 않습니다 "
        "(XML 폭탄 방지; expected Excel이 저장한 .xlsx)"
    ]
    assert snapshot() == before


# Parts openpyxl reads (the sheet, the styles) and one it never opens.
PARTS = [SHEET_PART, "xl/styles.xml", "docProps/app.xml"]


def with_dtd(xml: str, padding: str = "") -> str:
    """The part with a DTD declaring nothing after `padding`: harmless in itself,
    but no Excel part has one, and the next one could declare entities."""
    body = xml[xml.index("<", xml.index("?>") + 2 if xml.startswith("<?xml") else 0) :]
    root = re.match(r"<([\w:]+)", body).group(1)
    return f'<?xml version="1.0" encoding="UTF-8"?>{padding}<!DOCTYPE {root}>{body}'


@pytest.mark.parametrize("part", PARTS)
def test_a_dtd_after_a_hundred_kilobytes_of_comment_is_refused(tmp_path, before, part):
    data = plan_bytes()
    xml = with_dtd(part_text(data, part), padding="<!--" + "x" * 100_000 + "-->")
    assert refusal(write_file(tmp_path, rezip(data, replace={part: xml.encode()}))) == [
        f"plan.xlsx: {part}에 DTD/엔티티 선언이 있어 읽지 않습니다 "
        "(XML 폭탄 방지; expected Excel이 저장한 .xlsx)"
    ]
    assert snapshot() == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
@pytest.mark.parametrize("part", PARTS)
def test_a_dtd_in_a_part_encoded_in_utf16_is_refused(tmp_path, before, part, encoding):
    data = plan_bytes()
    xml = with_dtd(part_text(data, part)).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert refusal(write_file(tmp_path, rezip(data, replace={part: xml.encode(encoding)}))) == [
        f"plan.xlsx: {part}에 DTD/엔티티 선언이 있어 읽지 않습니다 "
        "(XML 폭탄 방지; expected Excel이 저장한 .xlsx)"
    ]
    assert snapshot() == before


def test_a_sheet_saved_in_utf16_reads_like_any_other(tmp_path):
    data = plan_bytes()
    xml = '<?xml version="1.0" encoding="UTF-16"?>' + sheet_xml(data)
    run_import(write_file(tmp_path, rezip(data, replace={SHEET_PART: xml.encode("utf-16")})))
    assert sorted(Program.objects.values_list("name", flat=True)) == [
        "입문교육",
        "창업교육",
        "창업컨설팅",
    ]


def test_a_sheet_in_utf16_is_held_to_the_same_limits(tmp_path, before):
    """The byte counts read UTF-8; the parser counts again, whatever the encoding."""
    rows = "".join(f'<row r="{n}"/>' for n in range(1, 20_002))
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )
    data = rezip(plan_bytes(), replace={SHEET_PART: xml.encode("utf-16")})
    assert refusal(write_file(tmp_path, data)) == [
        "plan.xlsx: 2019년 추진일정: 시트가 너무 큽니다: 행이 20,000개를 넘습니다 "
        "(expected 행 20,000개, 칸 500,000개 이하)"
    ]
    assert snapshot() == before


def test_openpyxl_parses_with_defusedxml(tmp_path):
    """The second line of defence: openpyxl itself refuses entity declarations."""
    assert openpyxl.xml.DEFUSEDXML is True
    assert openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")
    assert openpyxl.xml.functions.fromstring.__module__.startswith("defusedxml")
    xml = sheet_xml(plan_bytes()).encode()
    bomb = LAUGHS + xml[xml.index(b"<worksheet") :].replace(b"<sheetData>", b"<sheetData>&lol9;")
    path = write_file(tmp_path, rezip(plan_bytes(), replace={SHEET_PART: bomb}))
    with pytest.raises(ValueError, match="Unable to read workbook") as caught:
        openpyxl.load_workbook(path)
    assert isinstance(caught.value.__cause__, defusedxml.DefusedXmlException)


# --- formulas ------------------------------------------------------------------------------------


def with_formula(cell: str, formula: str, cached: str | None) -> bytes:
    workbook = plan_workbook()
    workbook.active[cell] = f"={formula}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    xml = sheet_xml(buffer.getvalue())
    pattern = re.compile(rf'<c r="{cell}"( [^>]*)?><f>(.*?)</f><v ?/>')
    assert pattern.search(xml)
    value = f' t="str"><f>\\2</f><v>{cached}</v>' if cached is not None else r"\1><f>\2</f><v/>"
    xml = pattern.sub(rf'<c r="{cell}"{value}', xml)
    return with_sheet_xml(buffer.getvalue(), xml)


def test_a_formula_is_read_by_its_cached_value(tmp_path):
    path = write_file(tmp_path, with_formula("P7", 'CONCAT("4.5천","만원")', "4.5천만원"))
    run_import(path)
    assert Program.objects.get(name="창업교육").budget_won == 45_000_000


NO_STORED_VALUE = "(expected 계산된 값: Excel에서 열어 다시 저장하거나 값으로 붙여 넣으세요)"


@pytest.mark.parametrize(
    ("cell", "formula", "cached", "error"),
    [
        pytest.param(
            "P7",
            'CONCAT("4.5천","만원")',
            None,
            f'P7: 수식 \'=CONCAT("4.5천","만원")\'에 저장된 값이 없습니다 {NO_STORED_VALUE}',
            id="a formula without a cached value",
        ),
        pytest.param(
            "B10",
            '"새 사업"',
            None,
            f"B10: 수식 '=\"새 사업\"'에 저장된 값이 없습니다 {NO_STORED_VALUE}",
            id="the same in an otherwise empty row, which is not skipped",
        ),
        pytest.param(
            "O6",
            "1/0",
            "#DIV/0!",
            "O6: 오류 값 #DIV/0!이(가) 들어 있습니다 (expected 글자나 숫자)",
            id="an error value",
        ),
    ],
)
def test_a_cell_whose_formula_gives_no_usable_value_is_refused_naming_it(
    tmp_path, before, cell, formula, cached, error
):
    path = write_file(tmp_path, with_formula(cell, formula, cached))
    assert refusal(path) == [f"plan.xlsx: 2019년 추진일정!{error}"]
    assert snapshot() == before


# --- sheets that lie about themselves ---------------------------------------------


def test_a_workbook_whose_sheet_part_is_missing_is_refused(tmp_path, before):
    data = plan_bytes()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != SHEET_PART:
                target.writestr(info, source.read(info))
    assert refusal(write_file(tmp_path, out.getvalue())) == [
        f"plan.xlsx: 시트 '2019년 추진일정'의 내용({SHEET_PART})이 파일에 없습니다"
    ]
    assert snapshot() == before


def test_a_wrong_dimension_does_not_cut_rows_off(tmp_path):
    xml = sheet_xml(plan_bytes())
    xml = re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:B2"', xml)
    run_import(write_file(tmp_path, with_sheet_xml(plan_bytes(), xml)))
    assert Program.objects.count() == 3


def test_a_merge_over_the_whole_sheet_is_refused(tmp_path, before):
    xml = sheet_xml(plan_bytes()).replace(
        "<mergeCells", '<mergeCells><mergeCell ref="A12:XFD1048576"/></mergeCells><x', 1
    )
    xml = re.sub(r"<x[^>]*>.*?</mergeCells>", "", xml, count=1, flags=re.DOTALL)
    assert refusal(write_file(tmp_path, with_sheet_xml(plan_bytes(), xml))) == [
        "plan.xlsx: 2019년 추진일정!A12: 병합 범위가 너무 큽니다 (expected 표 안의 병합)"
    ]


def test_the_limits_leave_room_for_fifty_years_of_plans():
    """The benchmark sheet (about 2,200 programs, 2,400 rows) passes every limit."""
    assert layout.MAX_ROWS >= 8 * 2_400
    assert layout.MAX_CELLS >= 8 * 2_400 * 18
