"""Site-wide promises: migrations are complete, every public page renders with
exactly one <h1>, and the pages speak Korean with a skip link."""

import re
from io import StringIO

import pytest
from django.core.management import call_command


def test_there_are_no_pending_migrations(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize("url", ["/", "/programs/?month=4", "/check/"])
def test_an_empty_portal_says_there_is_nothing_yet(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "아직 등록된 지원사업이 없습니다" in response.content.decode()


@pytest.fixture
def public_urls(make_program):
    program = make_program(
        "창업컨설팅",
        area="컨설팅",
        milestones=[("공고/접수/선정", 3, 3), ("사업수행(4~6월)", 4, 6)],
        contacts=[("서울시협동조합지원센터", "", "+827041688536")],
    )
    # Each public page type; apps add theirs as they land.
    return [
        "/",
        program.get_absolute_url(),
        "/calendar/",
        "/calendar/2019/3/",
        "/programs/",
        "/programs/?month=4&kind=application&q=컨설팅",
        "/programs/?month=1&area=컨설팅",  # the empty state
    ]


def test_every_public_page_renders_with_one_h1_and_a_skip_link(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert '<html lang="ko">' in html, url
        assert 'href="#main"' in html and 'id="main"' in html, url
