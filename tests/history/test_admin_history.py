"""A program's history in the admin, restoring a version, and bringing back a
deleted program or plan year."""

from django.urls import reverse

from contacts.models import ContactDesk
from history.models import HistoricalProgram
from programs.models import Plan, Program
from schedules.models import Milestone
from tests.support.admin_forms import program_form


def change(client, program, **overrides):
    program.refresh_from_db()
    url = reverse("admin:programs_program_change", args=[program.pk])
    response = client.post(url, program_form(program, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]


def history_page(client, program_id) -> str:
    response = client.get(reverse("admin:programs_program_history", args=[program_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_budget_change_in_the_admin_is_listed_old_to_new_with_who_made_it(editor_client, sample):
    change(editor_client, sample, budget_text="1.5억원")
    html = history_page(editor_client, sample.pk)
    assert '지원규모</span>: <span class="history-changes__old">1.24억원</span>' in html
    assert '<span class="history-changes__new">1.5억원</span>' in html
    assert "editor" in html
    newest = HistoricalProgram.objects.filter(id=sample.pk).first()
    assert newest.history_user.username == "editor" and newest.budget_text == "1.5억원"


def test_a_milestone_edit_and_a_new_desk_are_one_version_in_words(editor_client, sample):
    desk = ContactDesk.objects.create(team="기획전략실", phone="+827041688536")
    change(
        editor_client,
        sample,
        **{
            "milestones-0-end_month": 4,
            "contact_links-TOTAL_FORMS": 2,
            "contact_links-1-desk": desk.pk,
            "contact_links-1-position": 1,
        },
    )
    html = history_page(editor_client, sample.pk)
    assert '접수</span>: <span class="history-changes__old">3월</span>' in html
    assert "3~4월" in html
    assert "판로지원팀 070-4267-5038; 기획전략실 070-4168-8536" in html
    # One admin save is one version: both changes sit under one heading.
    assert html.count('class="history-entry history-entry--changed"') == 1


def test_an_earlier_version_comes_back_after_a_confirmation_page(editor_client, sample):
    change(editor_client, sample, budget_text="1.5억원", **{"milestones-0-end_month": 4})
    html = history_page(editor_client, sample.pk)
    restore_links = [part.split('"')[0] for part in html.split('href="')[1:] if "/restore/" in part]
    assert len(restore_links) == 1  # the version before the edit; the newest is now
    confirm = editor_client.get(restore_links[0]).content.decode()
    assert "되돌리면 바뀌는 것" in confirm and "1.5억원" in confirm and "1.24억원" in confirm
    assert Program.objects.get(pk=sample.pk).budget_text == "1.5억원"  # not before POST

    response = editor_client.post(restore_links[0])
    assert response.status_code == 302
    program = Program.objects.get(pk=sample.pk)
    assert (program.budget_text, program.budget_won) == ("1.24억원", sample.budget_won)
    assert list(program.milestones.values_list("start_month", "end_month")) == [(3, 3), (4, 4)]
    assert program.summary == "판로 개척을 돕습니다."
    # The restore is itself a version, so it can be undone in turn.
    assert "버전으로 되돌림" in history_page(editor_client, sample.pk)


def test_a_deleted_program_comes_back_from_the_admin_with_everything_it_had(editor_client, sample):
    program_id = sample.pk
    delete_url = reverse("admin:programs_program_delete", args=[program_id])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Program.objects.filter(pk=program_id).exists()

    listing = editor_client.get(reverse("admin:history_deletedprogram_changelist"))
    html = listing.content.decode()
    assert "삭제된 사업" in html and "유통채널 입점지원" in html and "민간판로 지원" in html
    restore_url = reverse("admin:history_deletedprogram_restore", args=[program_id])
    assert restore_url in html
    confirm = editor_client.get(restore_url).content.decode()
    assert "추진일정 2개" in confirm and "문의처 1개" in confirm and "판로 개척" in confirm

    response = editor_client.post(restore_url)
    assert response.status_code == 302
    program = Program.objects.get(pk=program_id)  # the same id: old links keep working
    assert program.summary == "판로 개척을 돕습니다."
    assert list(program.milestones.values_list("label", "start_month")) == [
        ("공고/접수", 3),
        ("선정/협약", 4),
    ]
    assert [link.desk.team for link in program.contact_links.all()] == ["판로지원팀"]
    assert [tag.code for tag in program.eligibility.all()] == ["social-economy-enterprise"]
    assert Program.objects.search("판로지원팀").get() == program  # search text rebuilt
    after = editor_client.get(reverse("admin:history_deletedprogram_changelist"))
    assert restore_url not in after.content.decode()


def test_a_program_whose_name_was_taken_meanwhile_is_not_restored(
    editor_client, sample, make_program
):
    program_id = sample.pk
    sample.delete()
    make_program("유통채널 입점지원", area="민간판로 지원")
    restore_url = reverse("admin:history_deletedprogram_restore", args=[program_id])
    response = editor_client.post(restore_url, follow=True)
    assert "같은 이름의 사업" in response.content.decode()
    assert not Program.objects.filter(pk=program_id).exists()


def test_deleting_a_plan_year_names_what_goes_and_the_year_comes_back(
    admin_client, sample, make_program
):
    make_program("창업컨설팅", area="컨설팅", milestones=[("공고/접수", 2, 2)])
    before = sorted(Program.objects.values_list("pk", "name", "summary"))
    url = reverse("admin:programs_plan_delete", args=[2019])
    page = admin_client.get(url).content.decode()
    assert "사업 <strong>2개</strong>" in page and "추진일정 3개" in page
    assert "2019년 계획과 사업 2개 지우기" in page

    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Plan.objects.filter(year=2019).exists() and not Program.objects.exists()

    listing = admin_client.get(reverse("admin:history_deletedplan_changelist"))
    assert "2019" in listing.content.decode()
    restore_url = reverse("admin:history_deletedplan_restore", args=[2019])
    assert "사업 2개" in admin_client.get(restore_url).content.decode()
    assert admin_client.post(restore_url).status_code == 302
    assert sorted(Program.objects.values_list("pk", "name", "summary")) == before
    assert Milestone.objects.count() == 3


def test_the_plan_list_offers_no_bulk_delete(admin_client, sample):
    html = admin_client.get(reverse("admin:programs_plan_changelist")).content.decode()
    assert 'value="delete_selected"' not in html


def test_a_desk_has_a_history_page_of_its_own_in_plain_words(editor_client, sample):
    desk = ContactDesk.objects.get(team="판로지원팀")
    change_url = reverse("admin:contacts_contactdesk_change", args=[desk.pk])
    response = editor_client.post(
        change_url, {"organization": "", "team": "판로지원팀", "phone": "070-4267-5099", "url": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = editor_client.get(reverse("admin:contacts_contactdesk_history", args=[desk.pk]))
    html = page.content.decode()
    assert '전화번호</span>: <span class="history-changes__old">070-4267-5038</span>' in html
    assert '<span class="history-changes__new">070-4267-5099</span>' in html
    assert "editor" in html
