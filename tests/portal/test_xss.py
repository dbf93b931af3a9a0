"""A sheet full of XSS payloads goes through the real importer, and every page
that shows its data renders them as inert text: no script runs, no event
handler or `javascript:` link appears, no SVG or frame is injected. The
exports carry the text unchanged, in types no browser runs."""

import json
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from programs.models import Program
from programs.sheet.write import SheetArea, SheetProgram, SheetSection, write_plan_workbook

PAYLOADS = [
    '<script>alert("xss-script")</script>',
    '<img src=x onerror=alert("xss-img")>',
    '<svg/onload=alert("xss-svg")>',
    '<svg><script>alert("xss-svg-script")</script></svg>',
    'javascript:alert("xss-js")',
    '"><a href="javascript:alert(\'xss-href\')">클릭</a>',
    "' onmouseover='alert(\"xss-attr\")' x='",
    "<iframe src=\"javascript:alert('xss-iframe')\"></iframe>",
    "<style>body{display:none}</style>xss-style",
    "{{ request.META }}{% debug %}xss-template",
]
MARKER = "xss-"


@pytest.fixture
def hostile_plan(db, tmp_path):
    """The 2019 plan with a payload in every text the sheet can carry."""
    programs = [
        SheetProgram(
            name=f"{payload} {n}",
            target=f"서울시 협동조합 {payload}",
            budget="미정",
            per_company="최대 300만원",
            contacts=f"{payload} 협동조합팀 02-1234-567{n % 10}",
            milestones=[(f"공고/접수 {payload}", 3, 3), (f"사업수행 {payload}", 4, 6)],
        )
        for n, payload in enumerate(PAYLOADS)
    ]
    sections = [
        SheetSection(
            name=f"{PAYLOADS[0]} 지원사업",
            areas=[
                SheetArea(name=f"{PAYLOADS[1]} 분야", programs=programs[:5]),
                SheetArea(name=f"{PAYLOADS[4]} 분야", programs=programs[5:]),
            ],
        )
    ]
    sheet = tmp_path / "hostile.xlsx"
    write_plan_workbook(sheet, f"2019년 {PAYLOADS[2]} 추진일정", "2019년 추진일정", sections)
    call_command("import_programs", str(sheet), stdout=StringIO())
    assert Program.objects.count() == len(PAYLOADS)
    return Program.objects.order_by("pk")


class PageAudit(HTMLParser):
    """What a browser would run or follow in a page, and the text it shows."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
    FORBIDDEN_TAGS = {"svg", "iframe", "object", "embed", "style", "frame", "base", "math"}

    def __init__(self, allowed_tags=()):
        super().__init__(convert_charrefs=True)
        self.forbidden_tags = self.FORBIDDEN_TAGS - set(allowed_tags)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_json_ld = True  # data for search engines, never run
        elif tag == "script":
            source = attributes.get("src") or ""
            if not source.startswith("/") or source.startswith("//"):  # our own files only
                self.problems.append(f"<script src={source!r}>")
            self._in_script = True
        if tag in self.forbidden_tags:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in self.URL_ATTRIBUTES and value:
                squeezed = "".join(ch for ch in value if ch > " ").lower()
                if squeezed.startswith(("javascript:", "data:text/html", "vbscript:")):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = self._in_json_ld = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]!r}")
        if self._in_json_ld:
            # Text in it can neither end the element nor start markup, and it stays data.
            if "<" in data or not isinstance(json.loads(data), list | dict):
                self.problems.append(f"JSON-LD that is not inert data: {data[:60]!r}")
            return
        self.text.append(data)


def audit(html: str, allowed_tags=()) -> PageAudit:
    parser = PageAudit(allowed_tags)
    parser.feed(html)
    parser.close()
    return parser


def pages_showing_the_plan(programs) -> list[str]:
    first = programs[0]
    return [
        "/",
        "/programs/",
        "/programs/?year=2019",
        "/calendar/",
        "/calendar/2019/3/",
        "/calendar/2019/5/",
        *[program.get_absolute_url() for program in programs],
        f"/programs/?q={quote(first.name[:20])}",
    ]


def test_every_page_renders_the_imported_payloads_as_inert_text(client, hostile_plan):
    for url in pages_showing_the_plan(hostile_plan):
        response = client.get(url)
        assert response.status_code == 200, url
        page = audit(response.content.decode())
        assert page.problems == [], url
        shown = "".join(page.text)
        assert MARKER in shown, f"{url}: the payloads did not reach the page at all"


def test_payloads_typed_into_the_address_bar_come_back_inert(client, hostile_plan):
    for payload in PAYLOADS:
        for url in (
            f"/programs/?q={quote(payload)}",
            f"/programs/?area={quote(payload)}&month={quote(payload)}",
            f"/calendar/?q={quote(payload)}&section={quote(payload)}",
            f"/없는/{quote(payload, safe='')}/",
        ):
            response = client.get(url)
            assert response.status_code in (200, 404), url
            assert audit(response.content.decode()).problems == [], url


def test_the_staff_pages_show_the_payloads_inert_too(client, hostile_plan, settings):
    settings.ADMIN_2FA = False
    client.force_login(User.objects.create_superuser("admin", password="x" * 16))
    admin = "/" + settings.ADMIN_URL
    urls = [f"{admin}programs/program/", f"{admin}programs/program/{hostile_plan[0].pk}/change/"]
    urls += [f"{admin}programs/supportarea/", f"{admin}contacts/contactdesk/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        # The admin draws its icons with inline SVG of its own; event handlers,
        # foreign or inline scripts and javascript: links are still caught.
        page = audit(response.content.decode(), allowed_tags={"svg"})
        assert page.problems == [], url
        assert MARKER in "".join(page.text), url


def test_exports_carry_the_payloads_unchanged_in_types_no_browser_runs(client, hostile_plan):
    data = client.get("/programs.json?year=2019")
    assert data["Content-Type"].startswith("application/json")
    assert data["X-Content-Type-Options"] == "nosniff"
    names = {program["name"] for program in json.loads(data.content)["programs"]}
    assert names == {program.name for program in hostile_plan}

    for url, kind in (("/programs.csv?year=2019", "text/csv"), ("/calendar.ics", "text/calendar")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(kind), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        body = b"".join(response) if response.streaming else response.content
        assert b"xss-script" in body, url


def test_javascript_text_never_becomes_a_link(client, hostile_plan):
    for url in pages_showing_the_plan(hostile_plan):
        html = client.get(url).content.decode()
        assert 'href="javascript:' not in html.lower(), url
        assert "javascript:alert" not in "".join(
            value or "" for value in _attribute_values(html)
        ), url


def _attribute_values(html: str):
    values = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            values.extend(value for name, value in attrs if name in PageAudit.URL_ATTRIBUTES)

    Collect(convert_charrefs=True).feed(html)
    return values


def test_the_audit_catches_a_payload_that_came_alive():
    alive = [
        "<p><script>alert(1)</script></p>",
        '<img src=x onerror="alert(1)">',
        "<svg/onload=alert(1)>",
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<iframe src="/"></iframe>',
        "<style>body{display:none}</style>",
        '<script src="https://evil.example/x.js"></script>',
        '<script type="application/ld+json">{"name": "</b><b>"}</script>',
    ]
    for html in alive:
        assert audit(html).problems, html
    inert = '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><input value="&quot;&gt;&lt;svg">'
    assert audit(inert).problems == []
    assert audit('<script src="/static/js/portal.js"></script>').problems == []
    data = '<script type="application/ld+json">{"name": "\\u003C/script\\u003E"}</script>'
    assert audit(data).problems == []
