"""Staff find a contact desk, and the programs it answers for, by the number
as people write it, although numbers are stored in E.164 (+827042675038)."""

import pytest

from contacts.admin import phone_search_term


@pytest.mark.parametrize(
    ("typed", "term"),
    [
        ("070-4267", "+82704267"),
        ("070-4267-5038", "+827042675038"),
        ("(02) 2133", "+8222133"),
        ("02.2133.5000", "+82221335000"),
        ("4267-5038", "42675038"),
        ("+82 70 4267", "+82704267"),
    ],
)
def test_a_typed_piece_of_a_number_is_searched_in_its_stored_form(typed, term):
    assert phone_search_term(typed) == term


@pytest.mark.parametrize("typed", ["판로지원팀", "07", "", "seoulcoop.net", "1" * 40])
def test_words_and_scraps_are_not_taken_for_numbers(typed):
    assert phone_search_term(typed) is None


@pytest.fixture
def desk_program(make_program):
    return make_program(
        "유통채널 입점지원",
        area="민간판로 지원",
        contacts=[("", "판로지원팀", "+827042675038")],
    )


def test_the_desk_list_finds_a_desk_by_its_number_as_written(admin_client, desk_program):
    for typed in ["070-4267", "070-4267-5038", "4267-5038", "판로지원"]:
        response = admin_client.get("/admin/contacts/contactdesk/", {"q": typed})
        assert response.status_code == 200
        assert "판로지원팀" in response.content.decode(), typed
    response = admin_client.get("/admin/contacts/contactdesk/", {"q": "02-2133"})
    assert "판로지원팀" not in response.content.decode().split("<tbody>")[-1]


def test_the_program_list_finds_programs_by_their_desk_number(admin_client, desk_program):
    response = admin_client.get("/admin/programs/program/", {"q": "070-4267"})
    assert response.status_code == 200
    assert "유통채널 입점지원" in response.content.decode()
    response = admin_client.get("/admin/programs/program/", {"q": "02-2133"})
    assert "유통채널 입점지원" not in response.content.decode()
