"""The admin as center staff use it: a superuser and a member of 편집자."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from contacts.models import ContactDesk
from programs.models import Program
from schedules.models import Milestone
from tests.support.admin_forms import program_form
from tests.support.sample_programs import startup_consulting


@pytest.fixture
def sample(make_program):
    return startup_consulting(make_program, per_company_text="24개")


def test_the_program_list_shows_year_and_area_and_the_program_page_its_contact(
    admin_client, sample, make_program
):
    for n in range(5):
        make_program(f"사업 {n}", contacts=[("기관", "", "+827041688536")])
    url = reverse("admin:programs_program_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "창업컨설팅" in html and "컨설팅" in html and "2019" in html
    page = admin_client.get(reverse("admin:programs_program_change", args=[sample.pk]))
    assert "서울시협동조합지원센터" in page.content.decode()


def test_the_program_list_costs_the_same_queries_for_more_programs(
    admin_client, make_program, django_assert_max_num_queries
):
    url = reverse("admin:programs_program_changelist")
    make_program("첫 사업", contacts=[("기관", "", "+827041688536")])
    admin_client.get(url)
    for n in range(20):
        make_program(f"사업 {n}", contacts=[("기관", f"팀{n}", "+827041688536")])
    with django_assert_max_num_queries(12):
        assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "query",
    ["?area__plan__year__exact=2019", "?milestone_kind=application", "?q=서울시협동조합지원센터"],
)
def test_the_program_list_filters_and_searches(admin_client, sample, make_program, query):
    make_program("다른 사업", year=2020, area="교육지원")
    html = admin_client.get(reverse("admin:programs_program_changelist") + query).content
    assert "창업컨설팅" in html.decode()
    assert "다른 사업" not in html.decode()


def test_the_add_page_loads_with_milestone_and_contact_inlines(admin_client, db):
    html = admin_client.get(reverse("admin:programs_program_add")).content.decode()
    assert 'name="milestones-TOTAL_FORMS"' in html
    assert 'name="contact_links-TOTAL_FORMS"' in html
    assert "계획표 칸에 적힌 그대로" in html  # help text written for staff


def test_an_editor_changes_a_milestone_and_search_follows(editor_client, sample):
    url = reverse("admin:programs_program_change", args=[sample.pk])
    assert editor_client.get(url).status_code == 200
    data = program_form(
        sample, **{"milestones-1-label": "성과 공유회", "milestones-1-end_month": 5}
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    changed = Milestone.objects.get(program=sample, start_month=4)
    assert (changed.label, changed.end_month, changed.kind) == ("성과 공유회", 5, "results")
    assert Program.objects.search("성과공유회").get() == sample


def test_staff_write_amounts_as_text_and_the_admin_reads_them(admin_client, sample):
    url = reverse("admin:programs_program_change", args=[sample.pk])
    data = program_form(sample, budget_text="6억원/7개 내외", per_company_text="최대 8천만원")
    assert admin_client.post(url, data).status_code == 302
    sample.refresh_from_db()
    assert (sample.budget_won, sample.budget_quantity, sample.budget_is_approx) == (
        600_000_000,
        7,
        True,
    )
    assert (sample.per_company_won, sample.per_company_is_max) == (80_000_000, True)
    assert "최대 8,000만 원" in admin_client.get(url).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param("4.5천만 원x", "금액이나 수량으로 읽을 수 없습니다", id="unreadable"),
        pytest.param(
            "10000000조원",
            "금액이 너무 큽니다: 9,223,372,036,854,775,807원 이하",
            id="too large for the database",
        ),
    ],
)
def test_the_admin_refuses_an_amount_it_cannot_keep_and_says_why(
    admin_client, sample, typed, message
):
    url = reverse("admin:programs_program_change", args=[sample.pk])
    response = admin_client.post(url, program_form(sample, budget_text=typed))
    assert response.status_code == 200
    assert message in response.content.decode()
    sample.refresh_from_db()
    assert (sample.budget_text, sample.budget_won) == ("", None)


def test_the_admin_refuses_months_in_the_wrong_order(admin_client, sample):
    url = reverse("admin:programs_program_change", args=[sample.pk])
    data = program_form(sample, **{"milestones-1-end_month": 2})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "끝 월은 시작 월과 같거나 뒤여야 합니다" in response.content.decode()
    assert Milestone.objects.get(program=sample, start_month=4).end_month == 6


def test_contact_desks_are_found_by_autocomplete(editor_client, sample):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "programs",
            "model_name": "programcontact",
            "field_name": "desk",
            "term": "협동조합",
        },
    )
    assert response.status_code == 200
    assert "서울시협동조합지원센터" in response.json()["results"][0]["text"]


def test_deleting_a_desk_that_programs_use_is_refused(admin_client, sample):
    desk = ContactDesk.objects.get()
    url = reverse("admin:contacts_contactdesk_delete", args=[desk.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "창업컨설팅" in response.content.decode()  # the page names the program in the way
    assert ContactDesk.objects.filter(pk=desk.pk).exists()


def test_an_editor_can_keep_programs_but_not_users_or_plans(editor_client, sample):
    allowed = [
        reverse("admin:programs_program_changelist"),
        reverse("admin:programs_program_add"),
        reverse("admin:contacts_contactdesk_add"),
        reverse("admin:programs_supportarea_changelist"),
        reverse("admin:programs_plan_changelist"),
    ]
    refused = [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:programs_plan_add"),
        reverse("admin:programs_eligibility_add"),
        reverse("admin:programs_plan_delete", args=[2019]),
    ]
    for url in allowed:
        assert editor_client.get(url).status_code == 200, url
    for url in refused:
        assert editor_client.get(url).status_code == 403, url


def test_staff_without_the_group_cannot_see_programs(client, db, sample):
    user = User.objects.create_user("nobody", password="x" * 12, is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:programs_program_changelist")).status_code == 403
