"""The admin screens of the login lockout and two-factor apps read in Korean."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice


def page(client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def test_the_admin_index_names_both_apps_and_their_models_in_korean(admin_client):
    html = page(admin_client, "admin:index")
    for label in ("로그인 잠금", "로그인 시도", "로그인 기록", "2단계 인증", "인증 앱(TOTP) 기기"):
        assert label in html
    assert "Access attempts" not in html and "TOTP devices" not in html


def test_the_lockout_list_has_korean_columns(admin_client):
    AccessAttempt.objects.create(
        username="someone",
        ip_address="192.0.2.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/admin/login/",
        failures_since_start=2,
    )
    html = page(admin_client, "admin:axes_accessattempt_changelist")
    for label in ("시도한 시각", "IP 주소", "사용자 이름", "주소"):
        assert label in html
    assert "IP Address" not in html and "Attempt Time" not in html


def test_the_device_list_and_form_have_korean_labels(admin_client, admin_user):
    TOTPDevice.objects.create(user=admin_user, name="휴대전화")
    listing = page(admin_client, "admin:otp_totp_totpdevice_changelist")
    for label in ("사용자", "기기 이름", "등록한 때", "마지막으로 쓴 때", "사용 가능"):
        assert label in listing
    form = page(admin_client, "admin:otp_totp_totpdevice_add")
    for label in ("코드 자릿수", "비밀 키", "설정"):
        assert label in form
    assert "Configuration" not in form


def test_every_translation_in_the_project_catalogue_is_compiled():
    source = Path(settings.BASE_DIR, "locale", "ko", "LC_MESSAGES", "django.po").read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', source, flags=re.MULTILINE)
    assert len(pairs) > 20
    with translation.override("ko"):
        for message, korean in pairs:
            assert translation.gettext(message) == korean


class Headings(HTMLParser):
    """The texts a staff member reads as names on an admin page: field labels
    (read-only ones too), help texts, column headers, section and filter titles."""

    NAMING = {"label", "th", "h2", "h3", "summary"}

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, list[str]]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in self.NAMING or "help" in classes:
            self.open.append((tag, []))

    def handle_endtag(self, tag):
        if self.open and self.open[-1][0] == tag:
            _, parts = self.open.pop()
            if text := " ".join("".join(parts).split()):
                self.texts.append(text)

    def handle_data(self, data):
        if self.open:
            self.open[-1][1].append(data)


# Abbreviations (IP, HTTP, TOTP, QR, GET, POST) and the names of the HTTP
# headers shown are kept as written; any other Latin word is English left over.
KEPT = re.compile(r"\b[A-Z][A-Z0-9-]+\b|User Agent|Accept")


def english_headings(html: str) -> list[str]:
    parser = Headings()
    parser.feed(html)
    return [text for text in parser.texts if re.search("[A-Za-z]", KEPT.sub("", text))]


# The records' own data is written in Korean, so Latin letters can only come from labels.
def lockout_rows():
    row = {
        "username": "김직원",
        "ip_address": "192.0.2.1",
        "user_agent": "test",
        "http_accept": "*/*",
        "path_info": "/admin/login/",
    }
    return {
        "accessattempt": AccessAttempt.objects.create(**row, failures_since_start=2),
        "accesslog": AccessLog.objects.create(**row),
        "accessfailurelog": AccessFailureLog.objects.create(**row, locked_out=True),
    }


@pytest.mark.parametrize("page_name", ["changelist", "add", "change"])
def test_the_device_pages_have_no_english_label_column_or_help_text(
    admin_client, django_user_model, page_name
):
    staff = django_user_model.objects.create_user("김직원", is_staff=True)
    device = TOTPDevice.objects.create(user=staff, name="휴대전화")
    args = [device.pk] if page_name == "change" else []
    response = admin_client.get(reverse(f"admin:otp_totp_totpdevice_{page_name}", args=args))
    html = response.content.decode()
    assert english_headings(html) == []
    assert "Search by" not in html


def test_the_device_page_names_its_timestamps_in_korean(admin_client, admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="휴대전화")
    html = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    html = html.content.decode()
    for label in ("등록한 때", "마지막으로 쓴 때", "마지막으로 틀린 시각", "QR 코드 보기"):
        assert label in html
    assert "Created at" not in html and "Last used at" not in html


def test_the_device_qr_page_tells_in_korean_what_to_do_without_a_picture(admin_client, admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="휴대전화")
    html = page_of(admin_client, "admin:otp_totp_totpdevice_config", device.pk)
    assert "인증 앱에 등록하기" in html and "설정 키 입력" in html
    assert "Install" not in html


@pytest.mark.parametrize("model", ["accessattempt", "accesslog", "accessfailurelog"])
def test_the_lockout_pages_have_no_english_label_column_or_title(admin_client, db, model):
    row = lockout_rows()[model]
    listing = page_of(admin_client, f"admin:axes_{model}_changelist")
    change = page_of(admin_client, f"admin:axes_{model}_change", row.pk)
    assert english_headings(listing) == [] and english_headings(change) == []
    assert "김직원의 로그인" in change
    for english in ("Attempted Access", "Access Log for", "Failed access", "+00:00"):
        assert english not in listing + change


def page_of(client, name: str, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_django_s_own_list_texts_read_as_plain_korean(admin_client):
    listing = page(admin_client, "admin:auth_user_changelist")
    assert "스태프 권한" in listing and "(으)로" not in listing
    with translation.override("ko"):
        assert translation.gettext("Select %s to view") % "연도별 계획" == "볼 연도별 계획 선택"
