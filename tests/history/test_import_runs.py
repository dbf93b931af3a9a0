"""Import runs: recorded, listed, linked to the rows they wrote, and undone."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from history.context import scope
from history.models import (
    HistoricalContactDesk,
    HistoricalMilestone,
    HistoricalPlan,
    HistoricalProgram,
    HistoricalProgramContact,
    HistoricalProgramEligibility,
    HistoricalSection,
    HistoricalSupportArea,
    ImportRun,
)
from programs.models import Plan, Program
from programs.sheet.write import SheetArea, SheetProgram, SheetSection
from tests.support.xlsx_helpers import plan_workbook, run_import, save, small_plan

HISTORICAL = [
    HistoricalPlan,
    HistoricalSection,
    HistoricalSupportArea,
    HistoricalContactDesk,
    HistoricalProgram,
    HistoricalProgramEligibility,
    HistoricalProgramContact,
    HistoricalMilestone,
]


def history_rows() -> int:
    return sum(model.objects.count() for model in HISTORICAL)


def export(year=2019) -> list[dict]:
    """The year's open-data export, ids and addresses aside."""
    out = io.StringIO()
    call_command("export_programs", "--year", str(year), "--format", "json", stdout=out)
    programs = json.loads(out.getvalue())["programs"]
    return [{k: v for k, v in p.items() if k not in ("id", "url")} for p in programs]


def edited_plan() -> list[SheetSection]:
    """The small plan a year on: 창업교육's budget corrected, 심화교육 added,
    창업컨설팅 (and with it the area 컨설팅) gone."""
    education = small_plan()[0].areas[0]
    education.programs[1].budget = "5천만원"
    education.programs.append(
        SheetProgram(
            "심화교육",
            target="협동조합",
            contacts="서울시협동조합지원센터 070-4168-8536",
            milestones=[("공고/접수", 5, 5)],
        )
    )
    return [SheetSection("협동조합 지원사업", [SheetArea(education.name, education.programs)])]


@pytest.fixture
def sheets(tmp_path):
    return (
        save(plan_workbook(), tmp_path, "plan-2019.xlsx"),
        save(plan_workbook(edited_plan()), tmp_path, "plan-2019-edited.xlsx"),
    )


@pytest.fixture
def imported(db, sheets):
    """The small plan imported, then a summary staff wrote for 창업컨설팅."""
    run_import(sheets[0])
    consulting = Program.objects.get(name="창업컨설팅")
    with scope("직원 입력"):
        consulting.summary = "예비 협동조합의 창업을 컨설턴트가 돕습니다."
        consulting.link = "https://www.seoulcoop.net"
        consulting.save()
    return consulting


def revert(run, *args) -> str:
    out = io.StringIO()
    call_command("revert_import", str(run.pk), *args, stdout=out)
    return out.getvalue()


def test_an_edited_import_with_prune_is_undone_exactly(imported, sheets):
    before = export()
    output = run_import(sheets[1], "--prune")
    assert "1 created, 1 updated" in output and "1 pruned" in output
    assert not Program.objects.filter(name="창업컨설팅").exists()
    run = ImportRun.objects.first()
    assert (run.added, run.changed, run.pruned, run.prune) == (1, 1, 1, True)

    assert "가져오기 #" in revert(run)
    assert export() == before
    consulting = Program.objects.get(name="창업컨설팅")
    assert consulting.pk == imported.pk  # its page's address works again
    assert consulting.summary == "예비 협동조합의 창업을 컨설턴트가 돕습니다."
    assert consulting.link == "https://www.seoulcoop.net"
    assert ImportRun.objects.get(pk=run.pk).reverted_at is not None


def test_the_rows_an_import_wrote_carry_its_run(imported, sheets):
    run_import(sheets[1], "--prune")
    run = ImportRun.objects.first()
    rows = HistoricalProgram.objects.filter(import_run=run)
    assert sorted(rows.values_list("name", "history_type")) == [
        ("심화교육", "+"),
        ("창업교육", "~"),
        ("창업컨설팅", "-"),
    ]
    assert rows.get(name="창업교육").budget_text == "5천만원"
    # The pruned program's milestones went with it, under the same run.
    assert HistoricalMilestone.objects.filter(import_run=run, history_type="-").count() >= 4
    assert {row.change_set for row in rows} == {run.change_set}


def test_reimporting_an_unchanged_sheet_writes_no_history_rows(imported, sheets):
    rows = history_rows()
    output = run_import(sheets[0])
    assert "0 created, 0 updated" in output
    assert history_rows() == rows
    run = ImportRun.objects.first()
    assert (run.added, run.changed, run.unchanged, run.pruned) == (0, 0, 3, 0)


def test_a_dry_run_is_recorded_as_one_and_writes_nothing(imported, sheets):
    rows = history_rows()
    run_import(sheets[1], "--prune", "--dry-run")
    assert history_rows() == rows
    run = ImportRun.objects.first()
    assert run.dry_run and (run.added, run.changed, run.pruned) == (1, 1, 1)
    with pytest.raises(CommandError, match="시험 실행"):
        revert(run)


def test_import_runs_lists_one_a_line_newest_first_beginning_with_the_id(imported, sheets):
    run_import(sheets[1], "--prune")
    out = io.StringIO()
    call_command("import_runs", stdout=out)
    lines = out.getvalue().splitlines()
    first, second = ImportRun.objects.all()[:2]
    pattern = r"{}  \d{{4}}-\d\d-\d\d \d\d:\d\d  {}  2019  {}  \S+"
    assert re.fullmatch(pattern.format(first.pk, r"plan-2019-edited\.xlsx", r"\+1 ~1 -1"), lines[0])
    assert re.fullmatch(pattern.format(second.pk, r"plan-2019\.xlsx", r"\+3 ~0 -0"), lines[1])


def test_a_revert_over_a_later_edit_is_refused_and_lists_it_unless_forced(imported, sheets):
    before = export()
    run_import(sheets[1], "--prune")
    run = ImportRun.objects.first()
    added = Program.objects.get(name="심화교육")
    with scope("직원 수정"):
        added.target = "협동조합, 사회적협동조합"
        added.save()
    after_edit = export()

    with pytest.raises(CommandError) as refused:
        revert(run)
    assert "뒤에 바뀐 것이 있어 되돌리지 않았습니다" in str(refused.value)
    assert "‘심화교육’" in str(refused.value) and "고침" in str(refused.value)
    assert export() == after_edit  # nothing changed
    assert ImportRun.objects.get(pk=run.pk).reverted_at is None

    revert(run, "--force")
    assert export() == before


def test_reverting_the_import_that_made_a_year_removes_the_year(db, sheets):
    run_import(sheets[0])
    run = ImportRun.objects.get()
    revert(run)
    assert not Plan.objects.exists() and not Program.objects.exists()
    with pytest.raises(CommandError, match="이미 되돌렸습니다"):
        revert(run)


def test_an_unknown_run_is_named(db):
    with pytest.raises(CommandError, match="가져오기 #404가 없습니다"):
        call_command("revert_import", "404")


def test_the_admin_reverts_a_run_after_confirmation_listing_later_edits(
    admin_client, imported, sheets
):
    run_import(sheets[1], "--prune")
    run = ImportRun.objects.first()
    changelist = reverse("admin:history_importrun_changelist")
    html = admin_client.get(changelist).content.decode()
    assert "plan-2019-edited.xlsx" in html and "+1 ~1 -1" in html
    page = admin_client.get(reverse("admin:history_importrun_change", args=[run.pk]))
    assert "심화교육" in page.content.decode()  # the rows it wrote, linked

    form = {"action": "revert_runs", "_selected_action": [run.pk]}
    confirm = admin_client.post(changelist, form).content.decode()
    assert "추가한 사업 <strong>1개</strong>를 지웁니다" in confirm
    assert "지운 사업 <strong>1개</strong>를" in confirm
    response = admin_client.post(changelist, {**form, "post": "yes"}, follow=True)
    assert "되돌렸습니다" in response.content.decode()
    assert Program.objects.get(name="창업컨설팅").summary.startswith("예비 협동조합")
    assert not Program.objects.filter(name="심화교육").exists()


def test_the_import_run_list_is_for_those_who_may_import(client, imported):
    from django.contrib.auth.models import User

    viewer = User.objects.create_user("viewer", password="x" * 16, is_staff=True)
    client.force_login(viewer)
    response = client.get(reverse("admin:history_importrun_changelist"))
    assert response.status_code == 403


def test_an_upload_in_the_admin_is_recorded_with_the_editor_who_made_it(
    editor_client, settings, tmp_path
):
    from tests.programs.test_plan_upload import confirm, upload, workbook_bytes

    settings.MEDIA_ROOT = tmp_path / "media"
    preview = upload(editor_client, workbook_bytes(), name="계획표-2019.xlsx")
    confirm(editor_client, preview)
    applied, previewed = ImportRun.objects.all()[:2]
    assert previewed.dry_run and not applied.dry_run
    assert (applied.who, applied.file_name, applied.years) == ("editor", "계획표-2019.xlsx", "2019")
    rows = HistoricalProgram.objects.filter(import_run=applied)
    assert rows.count() == 3
    assert {row.history_user.username for row in rows} == {"editor"}
