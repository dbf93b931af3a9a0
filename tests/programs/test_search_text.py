"""The catalogue's text search finds what people type or paste, and follows
every edit of what it searches (area names, contact desks, milestones)."""

import unicodedata

import pytest

from contacts.models import ContactDesk
from programs.models import Program, SupportArea
from schedules.models import Milestone


@pytest.fixture
def program(make_program):
    return make_program(
        "성과공유회 지원",
        area="민간판로 지원",
        target="서울시 사회적경제기업",
        milestones=[("공고/접수", 3, 3)],
        contacts=[("", "판로지원팀", "+827042675038")],
    )


def names(client, query) -> list[str]:
    response = client.get("/programs/", {"q": query})
    assert response.status_code == 200
    return [p.name for p in response.context["page"].object_list]


def test_decomposed_hangul_pasted_from_a_mac_finds_the_program(client, program):
    query = unicodedata.normalize("NFD", "성과공유회")
    assert query != "성과공유회"  # really decomposed: jamo, not syllables
    assert names(client, query) == ["성과공유회 지원"]


def test_full_width_and_odd_spaces_in_a_query_are_read_as_plain_text(client, program):
    assert names(client, "민간\u3000판로") == ["성과공유회 지원"]


def test_a_program_whose_name_was_stored_decomposed_is_found_by_the_plain_query(
    client, make_program
):
    make_program(unicodedata.normalize("NFD", "마을기업 육성"), area="마을")
    assert names(client, "마을기업") == [unicodedata.normalize("NFD", "마을기업 육성")]


def test_renaming_a_support_area_in_the_admin_moves_the_search_to_the_new_name(
    admin_client, client, program
):
    area = program.area
    response = admin_client.post(
        f"/admin/programs/supportarea/{area.pk}/change/",
        {"name": "공공구매 활성화", "plan": area.plan_id, "section": area.section_id,
         "position": area.position},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert names(client, "공공구매") == ["성과공유회 지원"]
    assert names(client, "민간판로") == []


def test_renaming_a_contact_desk_moves_the_search_to_the_new_team(client, program):
    desk = ContactDesk.objects.get(team="판로지원팀")
    desk.team = "공공구매팀"
    desk.save()
    assert names(client, "공공구매팀") == ["성과공유회 지원"]
    assert names(client, "판로지원팀") == []


def test_a_new_or_deleted_milestone_changes_what_the_program_is_found_by(client, program):
    milestone = Milestone.objects.create(
        program=program, label="상담회", start_month=5, end_month=5
    )
    assert names(client, "상담회") == ["성과공유회 지원"]
    milestone.delete()
    assert names(client, "상담회") == []


def test_a_desk_linked_through_the_m2m_api_is_searchable(client, program):
    desk = ContactDesk.objects.create(team="기획전략실", phone="+8221335000")
    program.contacts.add(desk, through_defaults={"position": 1})
    assert names(client, "기획전략실") == ["성과공유회 지원"]


def test_the_bulk_refresh_writes_only_programs_whose_text_changed(program, make_program):
    make_program("다른 사업", area="민간판로 지원")
    assert Program.objects.all().refresh_search_text() == 0
    SupportArea.objects.filter(pk=program.area_id).update(name="새 분야")
    assert Program.objects.all().refresh_search_text() == 2
