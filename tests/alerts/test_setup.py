"""How the alerts app sits in the project: its deploy check, and that no other
app depends on it."""

import ast

import pytest

from alerts.checks import base_url_for_alert_mail
from tests.support.paths import BASE_DIR

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("backend", "base_url", "warned"),
    [
        (SMTP, "", True),
        (SMTP, "http://portal.example.kr", True),
        (SMTP, "https://portal.example.kr", False),
        ("django.core.mail.backends.console.EmailBackend", "", False),
    ],
)
def test_check_deploy_warns_when_mail_is_sent_without_the_sites_https_address(
    settings, backend, base_url, warned
):
    settings.EMAIL_BACKEND = backend
    settings.PORTAL_BASE_URL = base_url
    found = base_url_for_alert_mail(None)
    assert [message.id for message in found] == (["alerts.W001"] if warned else [])


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_other_app_imports_alerts():
    offenders = [
        str(path.relative_to(BASE_DIR))
        for app in ("portal", "programs", "schedules", "contacts")
        for path in (BASE_DIR / app).rglob("*.py")
        if any(name == "alerts" or name.startswith("alerts.") for name in imported_modules(path))
    ]
    assert offenders == []
