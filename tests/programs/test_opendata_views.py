"""/programs.json, /programs.csv and /programs.xlsx: the catalogue's data to take
away, with the catalogue's filters. Each test parses the download back."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.support.plan_2019 import COOPERATIVES_IN_APRIL
from tests.support.sample_programs import market_entry, numbered_programs, startup_consulting


@pytest.fixture
def plan(make_program):
    program = market_entry(
        make_program, [("공고/접수", 2, 2), ("수시 진행", 4, 11), ("상담회 (2.27-28)", 3, 3)]
    )
    startup_consulting(make_program)
    # Text that a spreadsheet would run as a formula if it were not escaped.
    make_program('=HYPERLINK("http://evil.example")', area="컨설팅", target="+cmd|' /C calc'!A0")
    return program


def test_json_lists_the_filtered_programs_with_amounts_months_and_contacts(client, plan):
    response = client.get("/programs.json", {"month": "11"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content.decode("utf-8"))
    assert data["year"] == 2019
    assert data["count"] == 1
    [program] = data["programs"]
    assert program["name"] == "유통채널 입점지원"
    assert program["url"] == f"http://testserver/programs/{plan.pk}/"
    assert program["per_company"]["won"] == 70_000_000
    assert program["per_company"]["max"] is True
    assert program["budget"]["won"] == 124_000_000
    assert program["contacts"] == [
        {"organization": "", "team": "판로지원팀", "phone": "070-4267-5038", "url": ""}
    ]
    assert [(m["start_month"], m["end_month"], m["kind"]) for m in program["milestones"]] == [
        (2, 2, "application"),
        (3, 3, "education"),
        (4, 11, "running"),
    ]
    assert program["milestones"][1]["start_date"] == "2019-02-27"


def test_json_without_filters_is_the_whole_year_in_sheet_order(client, plan):
    data = client.get("/programs.json").json()
    assert [p["name"] for p in data["programs"]] == [
        "유통채널 입점지원",
        "창업컨설팅",
        '=HYPERLINK("http://evil.example")',
    ]


def test_csv_opens_in_excel_with_hangul_and_inert_formulas(client, plan):
    response = client.get("/programs.csv", {"area": "컨설팅"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == ["창업컨설팅", '\'=HYPERLINK("http://evil.example")']
    assert rows[1]["target"] == "'+cmd|' /C calc'!A0"
    assert rows[0]["contacts"] == "서울시협동조합지원센터 070-4168-8536"
    assert rows[0]["milestones"] == "3월 공고/접수/선정; 4~6월 사업수행(4~6월)"


def test_xlsx_is_the_importable_sheet_of_the_filtered_programs(client, plan):
    response = client.get("/programs.xlsx", {"eligibility": "pre-cooperative", "sort": "name"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [
        [cell for cell in row if cell not in (None, "")]
        for row in sheet.iter_rows(values_only=True)
    ]
    text = [" ".join(str(cell) for cell in row) for row in values if row]
    assert any("창업컨설팅" in line for line in text)
    assert not any("유통채널" in line for line in text)
    assert any("공고/접수/선정" in line and "사업수행(4~6월)" in line for line in text)


def test_an_export_answers_a_bad_parameter_with_400_naming_it(client, plan):
    for path in ("/programs.json", "/programs.csv", "/programs.xlsx"):
        response = client.get(path, {"month": "13", "amount_min": "abc"})
        assert response.status_code == 400, path
        messages = response.json()["messages"]
        assert any("month" in message for message in messages)
        assert any("amount_min" in message for message in messages)


def test_exports_of_an_empty_portal_are_empty_not_errors(client, db):
    assert client.get("/programs.json").json() == {"year": None, "count": 0, "programs": []}
    rows = list(csv.reader(io.StringIO(client.get("/programs.csv").content.decode("utf-8-sig"))))
    assert len(rows) == 1  # the header
    assert client.get("/programs.xlsx").status_code == 404


@pytest.mark.parametrize("path", ["/programs.json", "/programs.csv", "/programs.xlsx"])
@pytest.mark.parametrize("count", [2, 20])
def test_exports_take_a_fixed_number_of_queries(
    client, make_program, django_assert_max_num_queries, path, count
):
    numbered_programs(make_program, count, areas=3, teams=4)
    with django_assert_max_num_queries(9):
        assert client.get(path, {"eligibility": "cooperative"}).status_code == 200


# -- the 2019 plan ---------------------------------------------------------------------


def test_2019_json_has_every_program_and_filters_like_the_catalogue(client, plan_2019):
    whole = client.get("/programs.json").json()
    assert whole["year"] == 2019 and whole["count"] == 44
    coops = client.get("/programs.json", {"eligibility": "cooperative", "month": "4"}).json()
    assert [p["name"] for p in coops["programs"]] == COOPERATIVES_IN_APRIL
    [levelup] = client.get("/programs.json", {"q": "레벨업"}).json()["programs"]
    assert levelup["budget"]["text"] == "기업당 최대 1천만원"
    assert levelup["per_company"]["won"] == 5_000_000


def test_2019_csv_round_trips_the_village_enterprise_rows(client, plan_2019):
    response = client.get("/programs.csv", {"q": "마을기업"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == [
        "행안부 마을기업 설립지원",
        "마을기반 창업 준비 과정 지원",
        "마을기업 밀착형 코칭서비스",
        "마을기업 레벨업 지원사업",
        "마을기반 공동기획사업 지원사업",
    ]
    assert {row["area"] for row in rows} == {"마을기업 발굴/육성"}
    assert rows[0]["budget_values"] == "10000000; 50000000; 30000000; 20000000"


def test_2019_xlsx_export_imports_back_unchanged(client, plan_2019, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(client.get("/programs.xlsx").content)
    out = io.StringIO()
    call_command("import_programs", str(path), "--dry-run", stdout=out)
    assert "0 created, 0 updated, 44 unchanged" in out.getvalue()
