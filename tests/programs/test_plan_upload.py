"""Uploading the yearly sheet in the admin: a preview that writes nothing, then
a confirm that applies exactly the previewed file, or refuses."""

import datetime as dt
import io
import os
import time

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from programs.models import Plan, Program
from programs.uploads import UPLOAD_DIR
from tests.support.xlsx_helpers import (
    SHEET_PART,
    plan_workbook,
    rezip,
    small_plan,
    snapshot,
    workbook_bytes,
)

URL = "/admin/programs/plan/import/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def kept_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT / UPLOAD_DIR


@pytest.fixture
def imported(tmp_path):
    """The small plan as published 2019, imported from the command line."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook_bytes())
    call_command("import_programs", str(path), stdout=io.StringIO())


def edited_sheet() -> bytes:
    """The small plan with 창업교육's budget raised, 입문교육's notice taking
    January too, and 창업컨설팅 (its whole area) removed."""
    sections = small_plan()
    education, _consulting = sections[0].areas
    sections[0].areas = [education]
    introduction, startup = education.programs
    introduction.milestones[0] = ("공지/접수", 1, 2)
    startup.budget = "1.5억원"
    return workbook_bytes(plan_workbook(sections))


def upload(client, data: bytes, name: str = "plan.xlsx", **fields):
    file = SimpleUploadedFile(name, data, content_type=XLSX)
    return client.post(URL, {"file": file, **fields})


def token_of(response) -> str:
    html = response.content.decode()
    start = html.index('name="token" value="') + len('name="token" value="')
    return html[start : html.index('"', start)]


def confirm(client, preview, **fields):
    return client.post(URL, {"token": token_of(preview), "confirm": "yes", **fields}, follow=True)


def text(response) -> str:
    return response.content.decode()


# -- preview ----------------------------------------------------------------------------
def test_the_preview_shows_each_change_and_writes_nothing(editor_client, imported):
    before = snapshot()
    preview = upload(editor_client, edited_sheet())
    assert preview.status_code == 200
    html = text(preview)
    assert snapshot() == before
    assert "아직 아무것도 바뀌지 않았습니다" in html
    assert "협동조합 지원사업" in html and "교육지원" in html
    assert '<span class="plan-change__label">지원규모</span>' in html
    assert '<span class="plan-change__old">4,500만 원</span>' in html
    assert '<span class="plan-change__new">1억 5,000만 원</span>' in html
    assert '<span class="plan-change__old">2월</span>' in html
    assert '<span class="plan-change__new">1~2월</span>' in html
    assert '시트에 없음</span> <span class="plan-entry__name">창업컨설팅' in html
    assert 'name="missing" value="keep" checked' in html
    assert 'name="confirm"' in html


def test_confirm_applies_the_previewed_file_and_deletes_it(editor_client, imported, kept_files):
    preview = upload(editor_client, edited_sheet())
    assert len(list(kept_files.iterdir())) == 1
    done = confirm(editor_client, preview)
    assert "2019년 계획에 반영했습니다(공개 중): 추가 0, 변경 2" in text(done)
    assert Program.objects.get(name="창업교육").budget_won == 150_000_000
    assert Program.objects.filter(name="창업컨설팅").exists()  # kept by default
    assert Plan.objects.get(year=2019).is_published
    assert list(kept_files.iterdir()) == []


def test_missing_programs_go_only_when_asked(editor_client, imported):
    done = confirm(editor_client, upload(editor_client, edited_sheet()), missing="remove")
    assert "삭제 1" in text(done)
    assert not Program.objects.filter(name="창업컨설팅").exists()


def test_a_new_year_comes_in_as_a_draft(editor_client):
    preview = upload(editor_client, workbook_bytes())
    assert "새 연도, 미공개 초안으로 만듦" in text(preview)
    confirm(editor_client, preview)
    plan = Plan.objects.get(year=2019)
    assert plan.state == Plan.State.DRAFT
    assert Program.objects.public().count() == 0 and Program.objects.count() == 3


def test_the_same_file_can_be_read_as_another_year(editor_client):
    preview = upload(editor_client, workbook_bytes())
    again = editor_client.post(URL, {"token": token_of(preview), "preview": "yes", "year": "2020"})
    html = text(again)
    assert "2020년 계획" in html and "제목은 2019년이지만 --year 2020(으)로 가져옵니다" in html
    confirm(editor_client, again)
    assert list(Plan.objects.values_list("year", flat=True)) == [2020]


# -- refusals ---------------------------------------------------------------------------
def test_confirm_after_someone_else_changed_the_year_is_refused(editor_client, imported):
    preview = upload(editor_client, edited_sheet())
    program = Program.objects.get(name="입문교육")
    program.target = "누군가 그사이 고친 대상"
    program.save()
    before = snapshot()
    refused = confirm(editor_client, preview)
    assert "반영하지 않았습니다: 미리보기 뒤에 2019년 계획이 바뀌었습니다" in text(refused)
    assert snapshot() == before
    # The page is a fresh preview of the same file against the data as it is now.
    assert "누군가 그사이 고친 대상" in text(refused)
    confirm(editor_client, refused)
    assert Program.objects.get(name="창업교육").budget_won == 150_000_000


def test_confirm_after_another_import_is_refused(editor_client, imported, tmp_path):
    preview = upload(editor_client, edited_sheet())
    other = tmp_path / "other.xlsx"
    other.write_bytes(edited_sheet())
    call_command("import_programs", str(other), "--prune", stdout=io.StringIO())
    before = snapshot()
    assert "미리보기 뒤에 2019년 계획이 바뀌었습니다" in text(confirm(editor_client, preview))
    assert snapshot() == before


def test_a_sheet_with_errors_cannot_be_confirmed(editor_client, imported):
    workbook = plan_workbook()
    workbook.active["P7"] = "4.5천만 원x"
    preview = upload(editor_client, workbook_bytes(workbook))
    html = text(preview)
    assert "계획표에 문제가 1건 있어 반영할 수 없습니다" in html
    assert "plan.xlsx: 2019년 추진일정!P7: 지원규모" in html
    assert 'name="confirm"' not in html
    before = snapshot()
    assert "P7" in text(confirm(editor_client, preview))
    assert snapshot() == before


def test_the_preview_lists_errors_exactly_as_the_command_does(editor_client, imported, tmp_path):
    workbook = plan_workbook()
    workbook.active["P7"] = "4.5천만 원x"
    data = workbook_bytes(workbook)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data)
    with pytest.raises(Exception) as failed:
        call_command("import_programs", str(path), stdout=io.StringIO())
    command_line = str(failed.value).splitlines()[1]
    assert command_line.startswith("plan.xlsx: 2019년 추진일정!P7:")
    html = text(upload(editor_client, data))
    assert f"<li>{command_line}</li>".replace("'", "&#x27;") in html


def test_a_file_that_is_not_xlsx_gets_a_clear_message(editor_client):
    named = upload(editor_client, b"a,b\n1,2\n", name="plan.csv")
    assert "plan.csv: 엑셀 통합 문서(.xlsx)가 아닙니다" in text(named)
    renamed = upload(editor_client, b"a,b\n1,2\n", name="plan.xlsx")
    assert "plan.xlsx:" in text(renamed) and "계획표에 문제가 1건" in text(renamed)
    assert Plan.objects.count() == 0


def test_a_too_large_file_gets_a_clear_message(editor_client, settings, kept_files):
    settings.PLAN_UPLOAD_MAX_BYTES = 1024
    response = upload(editor_client, workbook_bytes())
    assert response.status_code == 200
    assert "plan.xlsx: 파일이 너무 큽니다" in text(response)
    assert "(expected 1 KB 이하)" in text(response)
    assert not kept_files.exists() or list(kept_files.iterdir()) == []


def test_a_zip_bomb_gets_a_clear_message(editor_client):
    bomb = rezip(workbook_bytes(), replace={SHEET_PART: b" " * 20_000_000})
    response = upload(editor_client, bomb)
    assert response.status_code == 200
    assert "압축 폭탄으로 보입니다" in text(response)
    assert 'name="confirm"' not in text(response)
    assert Plan.objects.count() == 0


def test_a_workbook_with_macros_gets_a_clear_message(editor_client, kept_files):
    with_macros = rezip(workbook_bytes(), add={"xl/vbaProject.bin": b"\x00" * 64})
    response = upload(editor_client, with_macros)
    assert "plan.xlsx: 매크로가 든 통합 문서는 받지 않습니다" in text(response)
    assert list(kept_files.iterdir()) == []


def test_a_kept_file_changed_on_the_server_is_refused(editor_client, imported, kept_files):
    preview = upload(editor_client, edited_sheet())
    (kept_file,) = kept_files.iterdir()
    kept_file.write_bytes(workbook_bytes())
    before = snapshot()
    assert "서버에 둔 파일이 미리본 파일과 다릅니다" in text(confirm(editor_client, preview))
    assert snapshot() == before


def test_a_forged_token_is_refused(editor_client, imported):
    response = editor_client.post(URL, {"token": "forged", "confirm": "yes"})
    assert "미리보기 정보를 읽을 수 없습니다" in text(response)


# -- permissions ----------------------------------------------------------------------------
def test_without_the_permission_the_upload_answers_403(client, db):
    viewer = User.objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    assert upload(client, workbook_bytes()).status_code == 403
    assert Plan.objects.count() == 0


def test_the_upload_is_linked_for_those_who_may_use_it(editor_client):
    assert URL in text(editor_client.get(reverse("admin:index")))
    assert URL in text(editor_client.get(reverse("admin:programs_plan_changelist")))
    assert "연간 계획 엑셀 올리기" in text(editor_client.get(URL))


# -- housekeeping -----------------------------------------------------------------------------
def test_files_older_than_a_day_are_purged(editor_client, kept_files):
    upload(editor_client, workbook_bytes())
    (kept_file,) = kept_files.iterdir()
    two_days_ago = time.time() - dt.timedelta(days=2).total_seconds()
    os.utime(kept_file, (two_days_ago, two_days_ago))
    out = io.StringIO()
    call_command("purge_plan_uploads", stdout=out)
    assert "올린 계획표 파일 1개를 지웠습니다" in out.getvalue()
    assert list(kept_files.iterdir()) == []


def test_a_preview_whose_file_was_purged_asks_for_the_file_again(editor_client, kept_files):
    preview = upload(editor_client, workbook_bytes())
    call_command("purge_plan_uploads", "--hours", "0", stdout=io.StringIO())
    response = confirm(editor_client, preview)
    assert "미리본 파일이 서버에 없습니다" in text(response)
    assert Plan.objects.count() == 0
