"""The admin screens of the login lockout and two-factor apps read in Korean."""

import re
from pathlib import Path

from axes.models import AccessAttempt
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
