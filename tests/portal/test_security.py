"""Security as an operator and an attacker see it, with the production settings:
`check --deploy` clean, strict headers and cookies on every page type, unknown
hosts refused, admin logins throttled and two-factor, and no template or source
that bypasses autoescaping."""

import ast
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.support.production import (
    BASE_DIR,
    HOST,
    fetch,
    production_env,
    production_values,
    run_manage,
    use_production_security,
)

PASSWORD = "correct horse battery staple"


@pytest.fixture
def program(make_program):
    return make_program(
        "창업컨설팅",
        area="컨설팅",
        milestones=[("공고/접수/선정", 3, 3)],
        contacts=[("서울시협동조합지원센터", "", "+827041688536")],
    )


@pytest.fixture
def staff(db):
    return User.objects.create_user("staff", password=PASSWORD, is_staff=True, is_superuser=True)


# --- check --deploy --------------------------------------------------------------


@pytest.mark.parametrize("behind_proxy", ["false", "true"])
def test_check_deploy_passes_at_warning_level_with_production_settings(behind_proxy):
    env = production_env(DJANGO_BEHIND_PROXY=behind_proxy)
    completed = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output


def test_production_silences_no_system_check():
    assert production_values().get("SILENCED_SYSTEM_CHECKS", []) == []


def test_production_refuses_to_start_with_the_development_secret_key():
    env = production_env(DJANGO_SECRET_KEY="dev-only-insecure-key-never-use-in-production")
    completed = run_manage("check", env=env)
    assert completed.returncode != 0
    assert "DJANGO_SECRET_KEY" in completed.stderr


# --- headers on every page type ---------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split() or [""]
        if name:
            directives[name] = values
    return directives


@pytest.fixture
def page_responses(production, program):
    client = Client()
    return {
        "home": fetch(client, "/"),
        "detail": fetch(client, program.get_absolute_url()),
        "catalogue": fetch(client, "/programs/?q=컨설팅"),
        "calendar": fetch(client, "/calendar/"),
        "month": fetch(client, "/calendar/2019/3/"),
        "json": fetch(client, "/programs.json"),
        "ics": fetch(client, "/calendar.ics"),
        "not found": fetch(client, "/없는-주소/"),
        "unknown host": client.get("/", secure=True, headers={"host": "evil.example"}),
        "admin login": fetch(client, reverse("admin:login")),
        "healthz": fetch(client, "/healthz"),
    }


def test_every_page_type_sends_a_strict_content_security_policy(page_responses):
    for page, response in page_responses.items():
        assert response.status_code == {"not found": 404, "unknown host": 400}.get(page, 200)
        header = response.headers.get("Content-Security-Policy", "")
        assert header, f"{page}: no Content-Security-Policy"
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, page
        directives = csp_directives(response)
        assert directives["default-src"] == ["'self'"], page
        assert directives["object-src"] == ["'none'"], page
        assert directives["base-uri"] == ["'none'"], page
        assert directives["frame-ancestors"] == ["'none'"], page
        assert directives["form-action"] == ["'self'"], page
        for name in ("script-src", "style-src"):
            assert directives.get(name, ["'self'"]) == ["'self'"], (page, name)


def test_every_page_type_sends_hsts_for_a_year_and_the_other_security_headers(page_responses):
    for page, response in page_responses.items():
        if response.status_code == 400:
            continue  # no host we answer for, so no HSTS promise for it either
        hsts = response.headers.get("Strict-Transport-Security", "")
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts, page
        assert "preload" in hsts, page
    for page, response in page_responses.items():
        assert response.headers["X-Content-Type-Options"] == "nosniff", page
        assert response.headers["Referrer-Policy"] == "same-origin", page
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", page
        assert response.headers["X-Frame-Options"] == "DENY", page


# A <script> without src, except JSON-LD: data for search engines, never run.
INLINE_SCRIPT = re.compile(r'<script(?![^>]*\bsrc=)(?! type="application/ld\+json")')


def test_pages_render_with_no_inline_script_style_or_event_handler(page_responses):
    for page, response in page_responses.items():
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), page
        assert "<style" not in html, page
        assert not re.search(r"\sstyle=", html), page
        assert not re.search(r"\son[a-z]+=", html), page


def test_plain_http_is_redirected_to_https_but_probes_are_not(production, db):
    client = Client()
    response = client.get("/", headers={"host": HOST})
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/"
    assert client.get("/healthz", headers={"host": HOST}).status_code == 200


def test_the_proxys_https_header_is_trusted_only_when_behind_the_proxy(settings, db):
    assert "SECURE_PROXY_SSL_HEADER" not in production_values()
    forwarded = {"host": HOST, "x-forwarded-proto": "https"}
    use_production_security(settings, DJANGO_BEHIND_PROXY="true")
    assert Client().get("/", headers=forwarded).status_code == 200

    # Without the proxy, anyone could send that header: it proves nothing.
    settings.SECURE_PROXY_SSL_HEADER = None
    assert Client().get("/", headers=forwarded).status_code == 301


def test_an_unknown_host_gets_the_branded_400_page(page_responses):
    response = page_responses["unknown host"]
    assert response.status_code == 400
    html = response.content.decode()
    assert "요청을 처리할 수 없습니다" in html
    assert "evil.example" not in html


def test_cookies_are_secure_httponly_and_samesite_in_production(production, staff):
    client = Client()
    login_url = reverse("admin:login")
    page = fetch(client, login_url)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"

    production.ADMIN_2FA = False
    response = client.post(
        login_url,
        {"username": "staff", "password": PASSWORD, "next": "/" + production.ADMIN_URL},
        secure=True,
        headers={"host": HOST},
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_staff_passwords_must_be_long_uncommon_and_not_only_digits(staff):
    for weak in ("짧은비밀번호1", "qwerty123456", "202401011234"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=staff)
    validate_password("마포 협동조합 2019 봄소풍", user=staff)


def test_the_admin_path_comes_from_the_environment():
    assert production_values(DJANGO_ADMIN_URL="/staff-7f3a/")["ADMIN_URL"] == "staff-7f3a/"


# --- login throttling (django-axes) -------------------------------------------------


def attempt(client, username, password, address, secure=False, **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        secure=secure,
        headers=headers,
    )


def test_five_wrong_passwords_lock_that_user_name_out_from_that_address(staff, settings):
    settings.ADMIN_2FA = False
    User.objects.create_user("other", password=PASSWORD, is_staff=True)
    client = Client()
    for _ in range(4):
        assert attempt(client, "staff", "wrong password", "203.0.113.7").status_code == 200
    locked = attempt(client, "staff", "wrong password", "203.0.113.7")
    assert locked.status_code == 429
    assert "로그인이 잠시 잠겼습니다" in locked.content.decode()
    assert "15분 뒤에 다시 시도하세요" in locked.content.decode()

    # Even the right password does not get in from there now …
    assert attempt(client, "staff", PASSWORD, "203.0.113.7").status_code == 429
    # … but the same person from another address, and a colleague from this one, do.
    assert attempt(Client(), "staff", PASSWORD, "198.51.100.20").status_code == 302
    assert attempt(Client(), "other", PASSWORD, "203.0.113.7").status_code == 302


def test_without_a_proxy_a_forged_forwarded_for_header_does_not_dodge_the_lockout(
    staff, production
):
    production.ADMIN_2FA = False
    client = Client()
    for n in range(5):
        response = attempt(
            client,
            "staff",
            "wrong",
            "203.0.113.7",
            secure=True,
            x_forwarded_for=f"10.0.0.{n}",
            host=HOST,
        )
    assert response.status_code == 429


def test_behind_the_proxy_the_lockout_follows_the_address_the_proxy_saw(staff, settings):
    use_production_security(settings, DJANGO_BEHIND_PROXY="true")
    settings.ADMIN_2FA = False
    proxy = "127.0.0.1"
    headers = {"host": HOST, "x_forwarded_proto": "https"}
    client = Client()
    for n in range(5):
        # The client forges an address in front; the proxy appends the real one.
        forwarded = f"10.0.0.{n}, 203.0.113.7"
        response = attempt(client, "staff", "wrong", proxy, x_forwarded_for=forwarded, **headers)
    assert response.status_code == 429
    # Another citizen behind the same proxy is not locked out with them.
    other = attempt(Client(), "staff", PASSWORD, proxy, x_forwarded_for="198.51.100.20", **headers)
    assert other.status_code == 302


# --- two-factor admin (django-otp) ---------------------------------------------------


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_two_factor_is_on_by_default_in_production_and_off_for_make_run():
    assert production_values()["ADMIN_2FA"] is True
    assert production_values(DJANGO_DEBUG="true")["ADMIN_2FA"] is False
    assert production_values(DJANGO_ADMIN_2FA="false")["ADMIN_2FA"] is False


def test_with_two_factor_on_a_password_alone_does_not_open_the_admin(staff, production):
    client = Client()
    admin_index = "/" + production.ADMIN_URL
    client.force_login(staff)
    assert fetch(client, admin_index).status_code == 302  # logged in, but not verified

    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    login = client.post(
        reverse("admin:login"),
        {"username": "staff", "password": PASSWORD, "otp_token": ""},
        secure=True,
        headers={"host": HOST},
    )
    assert login.status_code == 200
    assert 'name="otp_token"' in login.content.decode()
    assert fetch(client, admin_index).status_code == 302


def test_with_two_factor_on_password_and_current_code_open_the_admin(staff, production):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = Client()
    login = client.post(
        reverse("admin:login"),
        {
            "username": "staff",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": current_code(device),
        },
        secure=True,
        headers={"host": HOST},
    )
    assert login.status_code == 302, login.content.decode()[:2000]
    assert fetch(client, "/" + production.ADMIN_URL).status_code == 200


def test_with_two_factor_off_a_password_opens_the_admin(staff, settings):
    settings.ADMIN_2FA = False
    client = Client()
    assert attempt(client, "staff", PASSWORD, "127.0.0.1").status_code == 302
    assert client.get("/" + settings.ADMIN_URL).status_code == 200


def test_enrol_totp_creates_a_device_and_prints_its_otpauth_uri(staff):
    out = StringIO()
    call_command("enrol_totp", "staff", stdout=out)
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed
    uri = out.getvalue().strip().splitlines()[-1]
    assert uri.startswith("otpauth://totp/") and "secret=" in uri
    assert uri == device.config_url


def test_enrol_totp_refuses_unknown_users_and_keeps_an_existing_device(staff):
    with pytest.raises(CommandError, match="no such user"):
        call_command("enrol_totp", "nobody", stdout=StringIO())
    call_command("enrol_totp", "staff", stdout=StringIO())
    first = TOTPDevice.objects.get(user=staff)
    with pytest.raises(CommandError, match="device exists"):
        call_command("enrol_totp", "staff", stdout=StringIO())
    call_command("enrol_totp", "staff", "--replace", stdout=StringIO())
    assert list(TOTPDevice.objects.filter(user=staff)) != [first]
    assert TOTPDevice.objects.filter(user=staff).count() == 1


# --- autoescaping is never bypassed ----------------------------------------------------

SOURCE_ROOTS = ("portal", "programs", "schedules", "contacts")
TEMPLATE_BYPASSES = [
    (re.compile(r"\|\s*safe(seq)?\b"), "|safe"),
    (re.compile(r"{%\s*autoescape\s+off\s*%}"), "{% autoescape off %}"),
    (re.compile(r"{%\s*filter\s+[^%]*\bsafe\b"), "{% filter safe %}"),
]
UNSAFE_CALLS = {"mark_safe", "SafeString", "SafeText"}
# format_html escapes its arguments, but only if the format string is a literal.
FORMAT_CALLS = {"format_html": 0, "format_html_join": 1}
JS_SINKS = re.compile(
    r"\.(innerHTML|outerHTML)\s*=(?!=)(?!\s*(\"\"|'')\s*;)|insertAdjacentHTML|document\.write"
)


def template_bypasses(text: str) -> list[str]:
    return [name for pattern, name in TEMPLATE_BYPASSES if pattern.search(text)]


def python_bypasses(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id in UNSAFE_CALLS:
            found.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in UNSAFE_CALLS:
            found.append(f"line {node.lineno}: {node.attr}")
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in FORMAT_CALLS:
                position = FORMAT_CALLS[name]
                template = node.args[position] if len(node.args) > position else None
                if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
                    found.append(f"line {node.lineno}: {name} with a non-literal format")
    return found


def project_files(pattern: str):
    for root in ("templates", *SOURCE_ROOTS, "static"):
        for path in sorted((BASE_DIR / root).rglob(pattern)):
            if "migrations" not in path.parts:
                yield path


def test_no_template_marks_data_safe_or_turns_autoescaping_off():
    offenders = {
        str(path.relative_to(BASE_DIR)): found
        for path in project_files("*.html")
        if (found := template_bypasses(path.read_text()))
    }
    assert offenders == {}


# Reviewed by hand, and each the only one in its file. JSON-LD must be a <script> of
# type application/ld+json, which Django's json_script (the escaping it needs) cannot
# write: its safe output is passed on with that one attribute changed.
REVIEWED_BYPASSES = {"programs/structured_data.py": ["mark_safe"]}


def test_no_python_source_marks_text_safe_or_formats_html_from_data():
    offenders = {}
    for path in project_files("*.py"):
        name = str(path.relative_to(BASE_DIR))
        found = python_bypasses(path.read_text())
        if [entry.split(": ", 1)[1] for entry in found] != REVIEWED_BYPASSES.get(name, []):
            offenders[name] = found
    assert offenders == {}


def test_no_script_writes_html_from_strings():
    offenders = [
        str(path.relative_to(BASE_DIR))
        for path in project_files("*.js")
        if JS_SINKS.search(path.read_text())
    ]
    assert offenders == []


def test_the_autoescape_scan_catches_each_way_of_bypassing_it():
    assert template_bypasses("{{ program.name|safe }}") == ["|safe"]
    assert template_bypasses("{{ rows|safeseq|join:', ' }}") == ["|safe"]
    assert template_bypasses("{% autoescape off %}{{ x }}{% endautoescape %}")
    assert template_bypasses("{% filter force_escape|safe %}{{ x }}{% endfilter %}")
    assert template_bypasses("{{ program.name|escape }}") == []
    assert python_bypasses("from django.utils.safestring import mark_safe\nmark_safe(p.name)")
    assert python_bypasses("format_html(f'<b>{p.name}</b>')")
    assert python_bypasses("format_html('<b>{}</b>'.format(p.name))")
    assert python_bypasses("format_html_join(', ', template, rows)")
    assert python_bypasses("format_html('<b>{}</b>', p.name)") == []
    assert JS_SINKS.search("cell.innerHTML = row.name;")
    assert not JS_SINKS.search('cell.innerHTML = "";')
    assert not JS_SINKS.search("cell.textContent = row.name;")


def test_the_scan_covers_every_template_and_source_folder():
    scanned = {path.relative_to(BASE_DIR).parts[0] for path in project_files("*.*")}
    assert {"templates", "portal", "programs", "schedules", "contacts"} <= scanned
    assert Path(BASE_DIR / "templates" / "base.html") in set(project_files("*.html"))
