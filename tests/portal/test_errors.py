"""Error pages as citizens and staff meet them: branded, in Korean, one <h1>,
nothing internal shown; the 500 page even with the database down, while the
traceback goes to the log."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from tests.support.production import free_port, get_with_database


def assert_branded(html: str, heading: str):
    assert '<html lang="ko">' in html
    assert 'href="#main"' in html  # the skip link: the site's own frame, not Django's
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert heading in html
    assert "Traceback" not in html and "django" not in html.lower()


def test_an_unknown_address_gets_the_branded_404_page(client, db):
    response = client.get("/programs/999999/")
    assert response.status_code == 404
    assert_branded(response.content.decode(), "페이지를 찾을 수 없습니다")


def test_a_request_for_a_host_we_do_not_serve_gets_the_branded_400_page(client, db):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert_branded(response.content.decode(), "요청을 처리할 수 없습니다")


def test_staff_without_permission_get_the_branded_403_page(client, db, settings):
    settings.ADMIN_2FA = False
    client.force_login(User.objects.create_user("인턴", is_staff=True))
    response = client.get("/" + settings.ADMIN_URL + "auth/user/")
    assert response.status_code == 403
    assert_branded(response.content.decode(), "이 페이지를 볼 권한이 없습니다")


def test_a_form_sent_without_its_csrf_token_gets_the_branded_403_page(db, settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/" + settings.ADMIN_URL + "login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_branded(response.content.decode(), "보안 확인에 실패했습니다")


def test_the_500_page_renders_from_nothing_without_touching_the_database():
    # No `db` fixture: any query here fails the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert_branded(response.content.decode(), "일시적인 오류가 생겼습니다")


@pytest.fixture(scope="module")
def database_down():
    closed = free_port()
    return get_with_database(f"postgres://postgres@127.0.0.1:{closed}/portal", "/")


def test_with_the_database_down_pages_answer_with_the_branded_500_page(database_down):
    pages, log = database_down
    home = pages["/"]
    assert home["status"] == 500, log
    assert_branded(home["body"], "일시적인 오류가 생겼습니다")
    assert re.search(r'href="/static/css/portal\.[0-9a-f]{12}\.css"', home["body"])
    assert "unsafe-inline" not in home["headers"]["Content-Security-Policy"]


def test_with_the_database_down_the_traceback_goes_to_the_log_only(database_down):
    pages, log = database_down
    assert "OperationalError" not in pages["/"]["body"]
    assert "ERROR django.request Internal Server Error: /" in log
    assert "Traceback (most recent call last)" in log and "OperationalError" in log
    assert re.search(r"portal\.request method=GET path=/ status=500 ms=\d+\.\d user=-", log)
