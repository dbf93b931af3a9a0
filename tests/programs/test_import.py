"""import_programs reads the center's sheet as people make it in Excel.

Every sheet here is built with openpyxl in the test; rows and columns follow
tests/xlsx_helpers.py (title row 1, header rows 3–4, programs from row 6).
"""

import logging

import pytest
from openpyxl import Workbook

from contacts.models import ContactDesk
from programs.models import Eligibility, Plan, Program, Section, SupportArea
from programs.sheet.write import SheetArea, SheetProgram, SheetSection
from tests.support.xlsx_helpers import (
    HEADER,
    error_lines,
    import_error,
    plan_workbook,
    refusal,
    refusal_with_cells,
    rows_workbook,
    run_import,
    save,
    small_plan,
    snapshot,
)

pytestmark = pytest.mark.django_db


def months(name: str) -> list[tuple[str, int, int]]:
    program = Program.objects.get(name=name)
    return [(m.label, m.start_month, m.end_month) for m in program.milestones.all()]


def desks(name: str) -> list[tuple[str, str, str, str]]:
    program = Program.objects.get(name=name)
    return [
        (link.desk.organization, link.desk.team, link.desk.phone_display, link.desk.url)
        for link in program.contact_links.select_related("desk")
    ]


def row(*cells):
    return [*cells, *([None] * (len(HEADER) - len(cells)))]


# --- title, year and header ----------------------------------------------------------


def test_it_reads_the_year_and_title_from_the_title_row(tmp_path):
    path = save(plan_workbook(title="2020년 지원사업 추진일정", sheet="추진일정"), tmp_path)
    out = run_import(path)
    assert "2020년: 3 created, 0 updated, 0 unchanged, 0 missing" in out
    assert Plan.objects.get().title == "2020년 지원사업 추진일정"
    assert Program.objects.for_year(2020).count() == 3


def test_it_refuses_a_sheet_whose_year_it_cannot_tell(tmp_path):
    path = save(plan_workbook(title="지원사업 추진일정", sheet="추진일정"), tmp_path)
    assert refusal(path) == [
        "plan.xlsx: 추진일정: 연도를 알 수 없습니다: 표 위 제목 줄에 '2019년 …' 같은 연도가 "
        "없고 --year도 주지 않았습니다 (expected 제목 줄의 연도나 --year)"
    ]
    assert Plan.objects.count() == 0


def test_the_year_option_wins_over_the_title_and_says_so(tmp_path):
    path = save(plan_workbook(title="2018년 지원사업 추진일정"), tmp_path)
    out = run_import(path, year=2019)
    assert (
        "경고: plan.xlsx: 2019년 추진일정: 제목은 2018년이지만 --year 2019(으)로 가져옵니다" in out
    )
    assert list(Plan.objects.values_list("year", flat=True)) == [2019]


def test_it_finds_the_header_below_several_title_rows_by_its_text(tmp_path):
    rows = [
        ["서울시사회적경제지원센터"],
        [],
        ["2019년 지원사업 추진일정"],
        ["(2019. 1. 기준)"],
        ["구분", None, "추진일정"],
        HEADER,
        row("상담", "전화상담", "수시"),
    ]
    run_import(save(rows_workbook(rows), tmp_path))
    assert months("전화상담") == [("수시", 1, 1)]
    assert Plan.objects.get().title == "2019년 지원사업 추진일정"


def test_it_reads_a_header_of_one_row_with_the_months_in_it(tmp_path):
    rows = [["2019년 추진일정"], HEADER, row("상담", "전화상담", None, "공고/접수")]
    run_import(save(rows_workbook(rows), tmp_path))
    assert months("전화상담") == [("공고/접수", 2, 2)]


def test_it_reads_the_two_row_header_with_schedule_merged_over_the_months(tmp_path):
    run_import(save(plan_workbook(), tmp_path))
    assert months("입문교육") == [("공지/접수", 2, 2), ("교육진행", 3, 12)]


def test_columns_are_found_by_header_text_in_any_order(tmp_path):
    header = ["사업명", "지원분야", "문의처", "지원대상", "업체평균", "지원규모"]
    header += [f"{m}월" for m in range(1, 13)]
    rows = [
        ["2019년 추진일정"],
        header,
        ["창업교육", "교육지원", "운영팀 070-7873-1435", "서울시민", "300만원", "1억원", "공고"],
    ]
    run_import(save(rows_workbook(rows), tmp_path))
    program = Program.objects.get()
    assert (program.area.name, program.budget_won, program.per_company_won) == (
        "교육지원",
        100_000_000,
        3_000_000,
    )
    assert months("창업교육") == [("공고", 1, 1)]
    assert desks("창업교육") == [("", "운영팀", "070-7873-1435", "")]


def test_other_columns_are_ignored_with_a_warning_naming_them(tmp_path):
    workbook = plan_workbook()
    ws = workbook.active
    ws["S3"] = "비고"
    ws.merge_cells("S3:S4")
    ws["S6"] = "예산 확정 전"
    out = run_import(save(workbook, tmp_path))
    assert (
        "경고: plan.xlsx: 2019년 추진일정!S3: 열 '비고'은(는) 읽지 않습니다 (읽는 열: 지원분야, "
        "사업명, 추진일정(1월~12월), 지원대상, 지원규모, 업체평균, 문의처)"
    ) in out
    assert Program.objects.count() == 3


def test_a_missing_required_column_is_an_error_naming_the_header_rows(make_program, tmp_path):
    make_program("기존 사업")
    before = snapshot()
    workbook = plan_workbook()
    workbook.active["Q3"] = "평균"
    message = import_error(save(workbook, tmp_path))
    assert message.splitlines() == [
        "가져오지 않았습니다: 오류 1건. 데이터베이스는 그대로입니다.",
        "plan.xlsx: 2019년 추진일정!3:4: 필수 열이 머리글에 없습니다: 업체평균 (expected 지원분야, "
        "사업명, 추진일정(1월~12월), 지원대상, 지원규모, 업체평균, 문의처)",
    ]
    assert snapshot() == before


def test_a_workbook_without_the_header_anywhere_is_refused(tmp_path):
    rows = [["2019년 지원사업"], ["사업", "담당"], ["창업교육", "운영팀"]]
    assert refusal(save(rows_workbook(rows), tmp_path)) == [
        "plan.xlsx: 어느 시트에서도 표 머리글을 찾지 못했습니다 (expected 지원분야, 사업명, "
        "추진일정(1월~12월), 지원대상, 지원규모, 업체평균, 문의처)"
    ]


# --- sections, areas, merged cells --------------------------------------------------------


def test_rows_merged_across_the_table_are_sections_in_order(tmp_path):
    sections = [
        SheetSection(
            "서울시사회적경제지원센터 지원사업",
            [SheetArea("경영지원", [SheetProgram("컨설팅 지원")])],
        ),
        *small_plan(),
    ]
    run_import(save(plan_workbook(sections), tmp_path))
    assert list(Section.objects.values_list("name", "position")) == [
        ("서울시사회적경제지원센터 지원사업", 0),
        ("협동조합 지원사업", 1),
    ]
    assert Program.objects.get(name="컨설팅 지원").area.section.position == 0
    assert list(SupportArea.objects.values_list("name", flat=True)) == [
        "경영지원",
        "교육지원",
        "컨설팅",
    ]


def test_programs_before_any_section_row_belong_to_a_plain_section(tmp_path):
    rows = [["2019년 추진일정"], HEADER, row("상담", "전화상담", "수시")]
    run_import(save(rows_workbook(rows), tmp_path))
    assert Program.objects.get().area.section.name == "지원사업"


def test_a_merged_area_cell_applies_to_every_program_it_covers(tmp_path):
    workbook = plan_workbook()
    assert "A6:A7" in {str(r) for r in workbook.active.merged_cells.ranges}
    run_import(save(workbook, tmp_path))
    assert {p.name: p.area.name for p in Program.objects.select_related("area")} == {
        "입문교육": "교육지원",
        "창업교육": "교육지원",
        "창업컨설팅": "컨설팅",
    }


def test_an_unmerged_blank_area_cell_continues_the_area_above(tmp_path):
    rows = [
        ["2019년 추진일정"],
        HEADER,
        row("상담", "전화상담", "수시"),
        row(None, "방문상담", "수시"),
    ]
    run_import(save(rows_workbook(rows), tmp_path))
    assert set(Program.objects.values_list("area__name", flat=True)) == {"상담"}


def test_a_contact_and_a_target_merged_down_are_shared_by_both_programs(tmp_path):
    workbook = plan_workbook()
    ws = workbook.active
    ws["R7"] = None
    ws.merge_cells("R6:R7")
    ws["O7"] = None
    ws.merge_cells("O6:O7")
    run_import(save(workbook, tmp_path))
    assert (
        desks("창업교육")
        == desks("입문교육")
        == [("서울시협동조합지원센터", "", "070-4168-8323", "")]
    )
    assert Program.objects.get(name="창업교육").target == "서울시민, 예비협동조합"


def test_a_month_cell_merged_across_months_is_one_milestone_spanning_them(tmp_path):
    workbook = plan_workbook()
    assert "F7:M7" in {str(r) for r in workbook.active.merged_cells.ranges}
    run_import(save(workbook, tmp_path))
    assert months("창업교육") == [("공고/접수/선정", 3, 3), ("사업수행", 4, 11)]


def test_rows_under_one_merged_program_name_are_lanes_of_that_program(tmp_path):
    workbook = plan_workbook()
    assert "B8:B9" in {str(r) for r in workbook.active.merged_cells.ranges}
    out = run_import(save(workbook, tmp_path))
    assert "3 created" in out
    assert months("창업컨설팅") == [
        ("공고/접수/선정", 3, 3),
        ("사업수행(4~6월)", 4, 6),
        ("공고/접수/선정", 6, 6),
        ("사업수행(7~11월)", 7, 11),
    ]


def test_a_lane_row_giving_another_target_is_an_error(tmp_path):
    workbook = plan_workbook()
    ws = workbook.active
    ws.unmerge_cells("O8:O9")
    ws["O9"] = "서울시민"
    assert refusal(save(workbook, tmp_path)) == [
        "plan.xlsx: 2019년 추진일정!O9: 사업 '창업컨설팅'의 이어지는 줄에 다른 지원대상 "
        "'서울시민'가 있습니다 (expected 빈 칸이나 B8 줄과 같은 값)"
    ]


def test_line_breaks_inside_cells_are_read_as_spaces(tmp_path):
    sections = [
        SheetSection(
            "서울시사회적경제지원센터 지원사업",
            [
                SheetArea(
                    "공공구매\n활성화",
                    [
                        SheetProgram(
                            "사회적경제 힐링캠프\n(자기성찰형 쉼 프로그램)",
                            target="서울시 사회적경제 조직 3곳 이상\n포함한 컨소시움",
                            budget="6억원/7개\n내외",
                            milestones=[("입점모집\n\n(1차)", 6, 6)],
                        )
                    ],
                )
            ],
        )
    ]
    run_import(save(plan_workbook(sections), tmp_path))
    program = Program.objects.get()
    assert program.name == "사회적경제 힐링캠프 (자기성찰형 쉼 프로그램)"
    assert program.area.name == "공공구매 활성화"
    assert program.target == "서울시 사회적경제 조직 3곳 이상 포함한 컨소시움"
    assert (program.budget_text, program.budget_won) == ("6억원/7개 내외", 600_000_000)
    assert months(program.name) == [("입점모집 (1차)", 6, 6)]


def test_a_plain_number_in_an_amount_cell_is_that_many_won(tmp_path):
    workbook = plan_workbook()
    workbook.active["P7"] = 45000000
    workbook.active["Q7"] = 3000000.0
    run_import(save(workbook, tmp_path))
    program = Program.objects.get(name="창업교육")
    assert (program.budget_text, program.budget_won) == ("45,000,000원", 45_000_000)
    assert program.per_company_won == 3_000_000


def test_notes_and_blank_rows_after_the_table_are_skipped(tmp_path):
    workbook = plan_workbook()
    ws = workbook.active
    ws["A12"] = "※ 세부 일정은 사정에 따라 바뀔 수 있습니다."
    ws["A13"] = "※ 문의: 각 사업 담당 부서"
    ws["C13"] = "접수"
    out = run_import(save(workbook, tmp_path))
    assert "2019년: 3 created" in out
    assert not Program.objects.filter(name__startswith="※").exists()


def test_a_second_worksheet_without_the_header_is_skipped(tmp_path):
    workbook = plan_workbook()
    notes = workbook.create_sheet("참고")
    notes.append(["사업", "메모"])
    notes.append(["창업교육", "작년과 같음"])
    out = run_import(save(workbook, tmp_path))
    assert "경고: plan.xlsx: 참고: 표 머리글이 없어 건너뜁니다" in out
    assert Program.objects.count() == 3


def test_the_sheet_option_reads_only_that_sheet(tmp_path):
    workbook = plan_workbook()
    other = workbook.create_sheet("2020년 추진일정")
    other.append(["2020년 지원사업"])
    other.append(HEADER)
    other.append(row("상담", "전화상담", "수시"))
    path = save(workbook, tmp_path)
    out = run_import(path, sheet="2020년 추진일정")
    assert out.splitlines()[0] == "2020년: 1 created, 0 updated, 0 unchanged, 0 missing"
    assert list(Plan.objects.values_list("year", flat=True)) == [2020]
    assert refusal(path, sheet="2021") == [
        "plan.xlsx: 시트 '2021'가 없습니다 (expected 2019년 추진일정, 2020년 추진일정 중 하나)"
    ]


def test_two_sheets_of_one_year_are_refused_until_one_is_chosen(tmp_path):
    workbook = plan_workbook()
    copy = workbook.copy_worksheet(workbook.active)
    copy.title = "사본"
    assert refusal(save(workbook, tmp_path)) == [
        "plan.xlsx: 사본: 2019년 표가 시트 '2019년 추진일정'에도 있습니다 "
        "(expected 한 연도에 시트 하나; --sheet로 고르세요)"
    ]


# --- cells that cannot be read --------------------------------------------------------------


def test_an_unreadable_amount_is_an_error_naming_file_sheet_and_cell(make_program, tmp_path):
    make_program("기존 사업")
    before = snapshot()
    assert refusal_with_cells(tmp_path, P7="4.5천만 원x") == [
        "plan.xlsx: 2019년 추진일정!P7: 지원규모 '4.5천만 원x'를 금액으로 읽을 수 없습니다 "
        "(expected 4.5천만원, 인당 최대 300만원, 6억원/7개 내외, 2식, 미정 같은 금액)"
    ]
    assert snapshot() == before


def test_every_bad_cell_is_reported_in_one_run(tmp_path):
    workbook = plan_workbook()
    ws = workbook.active
    ws["Q6"] = "삼백만원쯤"
    ws["R7"] = "서울시협동조합지원센터 070-4168-85"
    ws["B8"] = None
    message = import_error(save(workbook, tmp_path))
    assert message.splitlines()[0] == "가져오지 않았습니다: 오류 3건. 데이터베이스는 그대로입니다."
    assert error_lines(message) == [
        "plan.xlsx: 2019년 추진일정!Q6: 업체평균 '삼백만원쯤'를 금액으로 읽을 수 없습니다 "
        "(expected 4.5천만원, 인당 최대 300만원, 6억원/7개 내외, 2식, 미정 같은 금액)",
        "plan.xlsx: 2019년 추진일정!R7: 문의처 '서울시협동조합지원센터 070-4168-85': "
        "전화번호 '070-4168-85'를 읽을 수 없습니다 (expected 한 줄에 하나씩 "
        "'판로지원팀 070-4267-5044' 같은 팀·기관과 전화번호)",
        "plan.xlsx: 2019년 추진일정!B8: 사업명이 비어 있습니다 (expected 사업 이름)",
    ]
    assert Program.objects.count() == 0


def test_a_program_name_twice_in_one_area_names_both_rows(tmp_path):
    assert refusal_with_cells(tmp_path, B7="입문교육") == [
        "plan.xlsx: 2019년 추진일정!B7: 사업 '입문교육'(지원분야 '교육지원')이(가) B6에도 "
        "있습니다 (expected 사업마다 한 줄; 여러 줄이면 사업명 칸을 병합하세요)"
    ]
    assert Program.objects.count() == 0


def test_one_area_name_under_two_sections_is_an_error(tmp_path):
    sections = [
        SheetSection("가 지원사업", [SheetArea("상담", [SheetProgram("전화상담")])]),
        SheetSection("나 지원사업", [SheetArea("상담", [SheetProgram("방문상담")])]),
    ]
    assert refusal(save(plan_workbook(sections), tmp_path)) == [
        "plan.xlsx: 2019년 추진일정!A8: 지원분야 '상담'가 구분 '가 지원사업'에도 있습니다 "
        "(expected 한 해에 지원분야 이름은 하나의 구분에만)"
    ]


# --- contacts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["(02) 2133-5000", "02.2133.5000", "02 2133 5000"])
def test_a_phone_number_written_another_common_way_imports_in_its_one_stored_form(
    tmp_path, written
):
    workbook = plan_workbook()
    workbook.active["R6"] = f"사회적경제과 {written}"
    run_import(save(workbook, tmp_path))
    assert desks("입문교육") == [("사회적경제과", "", "02-2133-5000", "")]
    assert ContactDesk.objects.get(organization="사회적경제과").phone == "+82221335000"


def test_a_cell_with_several_desks_keeps_them_in_order_and_shares_known_desks(tmp_path):
    workbook = plan_workbook()
    workbook.active["R6"] = "판로지원팀 070-4267-5044\n\n공공구매영업지원단 070-4270-3942"
    run_import(save(workbook, tmp_path))
    assert desks("입문교육") == [
        ("", "판로지원팀", "070-4267-5044", ""),
        ("", "공공구매영업지원단", "070-4270-3942", ""),
    ]
    assert ContactDesk.objects.filter(phone="+827041688536").count() == 1  # two programs, one desk


# --- what an import writes ------------------------------------------------------------------------


def test_a_second_import_of_the_same_sheet_creates_and_updates_nothing(tmp_path):
    path = save(plan_workbook(), tmp_path)
    run_import(path)
    version = Plan.objects.get().version
    updated_at = list(Program.objects.values_list("updated_at", flat=True))
    out = run_import(path)
    assert out.splitlines()[0] == "2019년: 0 created, 0 updated, 3 unchanged, 0 missing"
    assert Plan.objects.get().version == version
    assert list(Program.objects.values_list("updated_at", flat=True)) == updated_at


def test_a_changed_cell_updates_that_program_only_and_bumps_the_plan(tmp_path):
    run_import(save(plan_workbook(), tmp_path))
    version = Plan.objects.get().version
    workbook = plan_workbook()
    workbook.active["O6"] = "서울시민"
    workbook.active["D6"] = "공지/접수 (2.11)"
    out = run_import(save(workbook, tmp_path, "changed.xlsx"), verbosity=2)
    assert out.splitlines()[:2] == [
        "2019년: 0 created, 1 updated, 2 unchanged, 0 missing",
        "  updated: 교육지원 › 입문교육 (지원대상, 추진일정, 지원대상 유형)",
    ]
    program = Program.objects.get(name="입문교육")
    assert program.target == "서울시민"
    assert list(program.eligibility.values_list("code", flat=True)) == ["citizen"]
    assert program.milestones.get(start_month=2).start_date.isoformat() == "2019-02-11"
    assert Plan.objects.get().version > version


def test_staff_written_summary_and_link_survive_a_reimport(tmp_path):
    run_import(save(plan_workbook(), tmp_path))
    Program.objects.filter(name="창업교육").update(
        summary="예비 창업자를 위한 교육", link="https://example.kr/a"
    )
    workbook = plan_workbook()
    workbook.active["P7"] = "5천만원"
    run_import(save(workbook, tmp_path))
    program = Program.objects.get(name="창업교육")
    assert (program.summary, program.link, program.budget_won) == (
        "예비 창업자를 위한 교육",
        "https://example.kr/a",
        50_000_000,
    )


def test_programs_missing_from_the_sheet_are_listed_and_kept(tmp_path):
    run_import(save(plan_workbook(), tmp_path))
    sections = small_plan()
    sections[0].areas[0].programs.pop(0)  # 입문교육
    path = save(plan_workbook(sections), tmp_path, "smaller.xlsx")
    out = run_import(path, verbosity=2)
    assert "2019년: 0 created, 0 updated, 2 unchanged, 1 missing" in out
    assert "  missing (kept): 교육지원 › 입문교육" in out
    assert Program.objects.filter(name="입문교육").exists()
    assert "시트에 없는 2019년 사업 1개는 그대로 두었습니다" in run_import(path)


def test_prune_deletes_programs_missing_from_the_sheet(tmp_path):
    run_import(save(plan_workbook(), tmp_path))
    sections = small_plan()
    del sections[0].areas[1]  # 컨설팅 and its one program
    out = run_import(save(plan_workbook(sections), tmp_path), prune=True)
    assert "2019년: 0 created, 0 updated, 2 unchanged, 1 missing, 1 pruned" in out
    assert not Program.objects.filter(name="창업컨설팅").exists()
    assert not SupportArea.objects.filter(name="컨설팅").exists()


def test_dry_run_reports_what_a_real_run_would_and_writes_nothing(make_program, tmp_path):
    make_program("다른 사업", area="교육지원")
    before = snapshot()
    path = save(plan_workbook(), tmp_path)
    dry = run_import(path, dry_run=True, verbosity=2)
    assert snapshot() == before
    assert dry.splitlines()[-1] == "--dry-run: 아무것도 저장하지 않았습니다."
    real = run_import(path, verbosity=2)
    assert dry.splitlines()[:-1] == real.splitlines()
    assert "  missing (kept): 교육지원 › 다른 사업" in real


def test_search_text_and_eligibility_are_set_from_the_sheet(tmp_path):
    Eligibility.objects.filter(code="pre-cooperative").delete()
    run_import(save(plan_workbook(), tmp_path))
    program = Program.objects.get(name="입문교육")
    assert program.search_text == (
        "입문교육교육지원서울시민,예비협동조합공지/접수교육진행서울시협동조합지원센터"
    )
    assert list(program.eligibility.values_list("code", flat=True)) == [
        "pre-cooperative",
        "citizen",
    ]
    assert Program.objects.search("교육 진행").count() == 1


def test_each_import_is_logged_with_who_what_and_counts(tmp_path, caplog):
    path = save(plan_workbook(), tmp_path)
    with caplog.at_level(logging.INFO, logger="portal.import"):
        run_import(path)
    [record] = [r for r in caplog.records if r.name == "portal.import"]
    message = record.getMessage()
    assert message.startswith("import ok user=")
    assert f"file={path} dry_run=False sha256=" in message
    assert message.endswith("2019:created=3,updated=0,unchanged=0,missing=0,pruned=0")


def test_a_failed_import_is_logged_too(tmp_path, caplog):
    path = tmp_path / "plan.xlsx"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="portal.import"):
        import_error(path)
    [record] = [r for r in caplog.records if r.name == "portal.import"]
    assert record.levelname == "WARNING"
    assert "import failed" in record.getMessage()
    assert record.getMessage().endswith("errors=1")


def big_plan(programs: int) -> list[SheetSection]:
    areas = [
        SheetArea(
            f"분야 {a}",
            [
                SheetProgram(
                    f"사업 {a}-{n}",
                    target="서울시 협동조합",
                    budget="4.5천만원",
                    contacts=f"운영팀 070-7873-{1400 + n % 50}",
                    milestones=[("공고/접수", 2, 2), ("심사선정", 3, 3), ("사업수행", 4, 11)],
                )
                for n in range(programs // 10)
            ],
        )
        for a in range(10)
    ]
    return [SheetSection("협동조합 지원사업", areas)]


@pytest.mark.parametrize("programs", [10, 300])
def test_the_number_of_queries_does_not_grow_with_the_sheet(
    tmp_path, django_assert_max_num_queries, programs
):
    path = save(plan_workbook(big_plan(programs)), tmp_path)
    # A first import writes every row twice, once more as history (history.recorder),
    # in INSERTs of at most 999 values on SQLite: 28 statements become 68 at 300 programs.
    with django_assert_max_num_queries(70):
        run_import(path)
    # Twelve for the import, one for its record (history.models.ImportRun).
    with django_assert_max_num_queries(13):
        assert f"0 updated, {programs} unchanged" in run_import(path)


def test_an_empty_workbook_sheet_is_not_mistaken_for_a_plan(tmp_path):
    workbook = Workbook()
    assert "표 머리글을 찾지 못했습니다" in import_error(save(workbook, tmp_path))


def test_a_table_without_any_program_is_refused_rather_than_emptying_the_year(
    make_program, tmp_path
):
    make_program("기존 사업")
    before = snapshot()
    path = save(plan_workbook([]), tmp_path)
    assert refusal(path, prune=True) == [
        "plan.xlsx: 2019년 추진일정: 표에 사업이 하나도 없습니다 (expected 머리글 아래에 사업 줄)"
    ]
    assert snapshot() == before


def test_a_number_too_large_for_the_database_is_an_error_not_a_crash(tmp_path):
    assert refusal_with_cells(tmp_path, P8="99999999999개") == [
        "plan.xlsx: 2019년 추진일정!P8: 지원규모 '99999999999개'의 숫자가 너무 큽니다 "
        "(expected 9,223,372,036,854,775,807원, 수량 2,147,483,647 이하)"
    ]


def test_a_numbering_column_before_the_table_does_not_hide_sections(tmp_path):
    rows = [
        ["2019년 추진일정"],
        ["순번", *HEADER],
        ["협동조합 지원사업"],
        [1, "상담", "전화상담", "수시"],
    ]
    workbook = rows_workbook(rows, merges=["A3:S3"])
    workbook.active["A5"] = "비고만 있는 줄"
    out = run_import(save(workbook, tmp_path))
    assert "경고: plan.xlsx: 2019년 추진일정!A2: 열 '순번'은(는) 읽지 않습니다" in out
    program = Program.objects.get()
    assert (program.area.section.name, program.area.name) == ("협동조합 지원사업", "상담")
    assert months("전화상담") == [("수시", 1, 1)]
