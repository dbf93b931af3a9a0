"""export_programs: the sheet back out (importable as it is), CSV and JSON for
open data, every spreadsheet cell safe from formula injection."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from programs.models import Plan, Program
from programs.opendata import plan_to_dict, write_csv
from programs.sheet.write import escape_formula
from tests.support.xlsx_helpers import run_import

AMOUNT_KEYS = {"text", "won", "max", "approx", "per", "quantity", "unit", "values"}
PROGRAM_KEYS = {
    "id", "url", "year", "section", "area", "name", "target", "eligibility",
    "budget", "per_company", "contacts", "milestones",
}  # fmt: skip


def export(*args, **options) -> str:
    out = io.StringIO()
    call_command("export_programs", *args, stdout=out, **options)
    return out.getvalue()


def listing(year=2019):
    return Program.objects.for_year(year).for_listing().in_sheet_order()


# --- xlsx ----------------------------------------------------------------------------


def test_exporting_the_plan_and_importing_it_back_changes_nothing(plan_2019, tmp_path):
    path = tmp_path / "export.xlsx"
    assert export("--year", "2019", "-o", str(path)) == (
        f"2019년 사업 44개를 {path}(xlsx)로 내보냈습니다.\n"
    )
    version = Plan.objects.get(year=2019).version
    out = run_import(path)
    assert out.splitlines()[0] == "2019년: 0 created, 0 updated, 44 unchanged, 0 missing"
    assert Plan.objects.get(year=2019).version == version


def test_the_exported_sheet_is_laid_out_as_the_centers_sheet(plan_2019, tmp_path):
    path = tmp_path / "export.xlsx"
    export("-o", str(path))
    ws = openpyxl.load_workbook(path).active
    merged = {str(cell_range) for cell_range in ws.merged_cells.ranges}
    assert ws.title == "2019년 추진일정"
    assert ws["A1"].value == "2019년 지원사업 추진일정"
    assert [ws.cell(4, column).value for column in range(3, 15)] == [
        f"{month}월" for month in range(1, 13)
    ]
    assert {"A3:A4", "B3:B4", "C3:N3", "O3:O4", "R3:R4"} <= merged
    assert ws["A5"].value == "서울시사회적경제지원센터 지원사업" and "A5:R5" in merged
    assert ws["A6"].value == "공공구매 활성화" and "A6:A8" in merged  # three programs
    assert ws["B6"].value == "공공구매 영업지원(교육/상담 등)"
    assert ws["D6"].value == "수시 진행" and "D6:N6" in merged  # February to December
    startup = next(row for row in range(6, ws.max_row + 1) if ws.cell(row, 2).value == "창업컨설팅")
    assert f"B{startup}:B{startup + 1}" in merged  # two lanes, one program
    assert ws.cell(startup + 1, 8).value == "공고/접수/선정"  # the June call, second lane


def test_text_that_looks_like_a_formula_stays_inert_text_in_every_export(make_program, tmp_path):
    make_program(
        '=HYPERLINK("http://evil.example","신청")',
        target="+서울시민",
        milestones=[("-공고/접수", 3, 3), ("@접수", 4, 4)],
        contacts=[("=조직", "운영팀", "+827078731435")],
    )
    Plan.objects.update(title="2019년 지원사업 추진일정")
    path = tmp_path / "export.xlsx"
    export("-o", str(path))
    ws = openpyxl.load_workbook(path).active
    cells = {ws.cell(6, column).value: ws.cell(6, column).data_type for column in range(1, 19)}
    assert cells['=HYPERLINK("http://evil.example","신청")'] == "s"
    assert cells["+서울시민"] == cells["-공고/접수"] == "s"
    assert cells["=조직 운영팀 070-7873-1435"] == "s"
    run_import(path)  # the first import also derives eligibility and search text
    program = Program.objects.get()
    assert (program.name, program.target) == (
        '=HYPERLINK("http://evil.example","신청")',
        "+서울시민",
    )
    assert program.contacts.get().organization == "=조직"
    export("-o", str(path))
    assert "0 updated, 1 unchanged" in run_import(path)

    csv_path = tmp_path / "export.csv"
    export("--format", "csv", "-o", str(csv_path))
    with open(csv_path, encoding="utf-8-sig", newline="") as stream:
        [row] = list(csv.DictReader(stream))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","신청")'
    assert row["target"] == "'+서울시민"
    assert row["contacts"] == "'=조직 운영팀 070-7873-1435"
    assert row["milestones"] == "3월 -공고/접수; 4월 @접수"  # the cell starts with "3"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+82 2 123", "'+82 2 123"),
        ("-공고", "'-공고"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),
        ("공고/접수", "공고/접수"),
        ("", ""),
        (45000000, 45000000),
        (None, None),
    ],
)
def test_escape_formula_makes_only_formula_starts_inert(value, escaped):
    assert escape_formula(value) == escaped


# --- csv and json ------------------------------------------------------------------------------


def test_the_csv_parses_back_with_one_row_per_program(plan_2019, tmp_path):
    path = tmp_path / "plan.csv"
    export("--format", "csv", "-o", str(path), "--base-url", "https://portal.example.kr")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel reads the Korean as UTF-8
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 44
    row = next(r for r in rows if r["name"] == "유통채널 입점지원")
    program = Program.objects.get(name="유통채널 입점지원")
    assert row["url"] == f"https://portal.example.kr/programs/{program.pk}/"
    assert (row["year"], row["section"], row["area"]) == (
        "2019",
        "서울시사회적경제지원센터 지원사업",
        "민간판로 지원",
    )
    assert (row["budget_text"], row["budget_won"], row["budget_max"]) == (
        "1.24억원",
        "124000000",
        "false",
    )
    assert (row["per_company_won"], row["per_company_max"]) == ("70000000", "true")
    assert row["eligibility"] == "사회적경제기업"
    assert row["contacts"] == "판로지원팀 070-4267-5038"
    assert row["milestones"].startswith(
        "2월 공고/접수; 3월 선정/협약; 4월 사업비 지급; 5월 수시 진행"
    )


def test_the_csv_goes_to_standard_output_without_a_file(plan_2019):
    out = export("--format", "csv")
    assert out.startswith("\ufeffid,url,year,section,area,name,target,eligibility,budget_text")
    assert len(list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))) == 45


def test_the_json_is_the_documented_open_data_contract(plan_2019):
    data = json.loads(export())  # json is the default format
    assert (data["year"], data["count"], len(data["programs"])) == (2019, 44, 44)
    assert set(data) == {"year", "count", "programs"}
    for program in data["programs"]:
        assert set(program) == PROGRAM_KEYS
        assert set(program["budget"]) == set(program["per_company"]) == AMOUNT_KEYS
        for contact in program["contacts"]:
            assert set(contact) == {"organization", "team", "phone", "url"}
        for milestone in program["milestones"]:
            assert set(milestone) == {
                "label", "start_month", "end_month", "kind", "start_date", "end_date"
            }  # fmt: skip
    by_name = {program["name"]: program for program in data["programs"]}
    hotline = by_name["전화/내방/맞춤형/기획상담"]
    assert hotline["contacts"] == [
        {
            "organization": "서울시협동조합지원센터",
            "team": "",
            "phone": "1544-5077",
            "url": "https://seoulcoop.net",
        }
    ]
    assert hotline["eligibility"] == ["협동조합", "예비협동조합", "서울시민"]
    research = by_name["기획주제형"]["budget"]
    assert research == {
        "text": "2식", "won": None, "max": False, "approx": False, "per": "",
        "quantity": 2, "unit": "식", "values": [],
    }  # fmt: skip
    assert by_name["행안부 마을기업 설립지원"]["budget"]["values"] == [
        10_000_000, 50_000_000, 30_000_000, 20_000_000
    ]  # fmt: skip
    fair = by_name["공공구매 상담회"]["milestones"][0]
    assert fair == {
        "label": "사전설명회 (2.11) 상담회 (2.27-28)",
        "start_month": 2,
        "end_month": 2,
        "kind": "education",
        "start_date": "2019-02-11",
        "end_date": "2019-02-11",
    }
    assert by_name["공공구매 상담회"]["milestones"][1]["start_date"] is None
    assert by_name["공공구매 상담회"]["url"] == (
        f"/programs/{Program.objects.get(name='공공구매 상담회').pk}/"
    )


def test_open_data_is_built_in_a_fixed_number_of_queries(plan_2019, django_assert_num_queries):
    with django_assert_num_queries(4):  # programs, eligibility, milestones, contacts
        data = plan_to_dict(2019, listing())
    assert data["count"] == 44
    with django_assert_num_queries(4):
        write_csv(listing(), io.StringIO())


# --- the command's own errors ------------------------------------------------------------------


def test_exporting_a_year_without_a_plan_is_an_error(plan_2019):
    with pytest.raises(CommandError, match="2020년 계획이 없습니다"):
        export("--year", "2020")


def test_exporting_with_no_plan_at_all_says_to_import_first(db):
    with pytest.raises(CommandError, match="import_programs로 먼저 가져오기"):
        export()


def test_an_xlsx_export_needs_a_file(plan_2019):
    with pytest.raises(CommandError, match="xlsx는 파일로만 내보냅니다"):
        export("--format", "xlsx")


def test_the_format_follows_the_file_extension(plan_2019, tmp_path):
    path = tmp_path / "plan.json"
    export("-o", str(path))
    assert json.loads(path.read_text(encoding="utf-8"))["count"] == 44
