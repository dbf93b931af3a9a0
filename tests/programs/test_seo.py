"""What search engines and link previews read: canonical addresses, OpenGraph and
Twitter cards on every public page, schema.org data on program pages, the sitemap."""

import datetime as dt
import json
import re
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urlencode

import pytest
from defusedxml import ElementTree as ET
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from programs.models import Plan, Program

SEOUL_MARCH_15 = dt.datetime(2019, 3, 15, 3, 0, tzinfo=dt.UTC)


class HeadTags(HTMLParser):
    """<meta> and <link> tags of a page, by name/property and rel."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, list[dict]] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and ("property" in attributes or "name" in attributes):
            key = attributes.get("property") or attributes["name"]
            assert key not in self.meta, f"{key} appears twice"
            self.meta[key] = attributes.get("content", "")
        elif tag == "link":
            self.links.setdefault(attributes["rel"], []).append(attributes)
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def head_of(html: str) -> HeadTags:
    parser = HeadTags()
    parser.feed(html)
    return parser


def get(client, path: str):
    with mock.patch.object(timezone, "now", return_value=SEOUL_MARCH_15):
        response = client.get(path)
    assert response.status_code == 200, path
    return response


SHARE_IMAGE = re.compile(r"http://testserver/static/img/share(\.[0-9a-f]+)?\.png")


@pytest.fixture
def program(plan_2019):
    return Program.objects.for_listing().get(name="유통채널 입점지원")


def page_paths(program) -> dict[str, str]:
    return {
        "home": "/",
        "catalogue": "/programs/?eligibility=cooperative&month=4",
        "detail": program.get_absolute_url(),
        "calendar": "/calendar/?area=공공구매+활성화",
        "month": "/calendar/2019/4/",
    }


@pytest.mark.parametrize("page", ["home", "catalogue", "detail", "calendar", "month"])
def test_every_page_type_has_an_absolute_canonical_address_and_a_link_preview(
    client, program, page
):
    path = page_paths(program)[page]
    head = head_of(get(client, path).content.decode())
    (canonical,) = head.links["canonical"]
    assert canonical["href"] == "http://testserver" + get(client, path).wsgi_request.get_full_path()
    meta = head.meta
    assert meta["og:url"] == canonical["href"]
    assert meta["og:type"] == "website"
    assert meta["og:locale"] == "ko_KR"
    assert meta["og:site_name"] == "서울 사회적경제 지원사업"
    assert SHARE_IMAGE.fullmatch(meta["og:image"])
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:alt"]
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    assert meta["twitter:title"] == meta["og:title"] != ""
    assert meta["twitter:description"] == meta["og:description"] != ""
    if page != "detail":
        # Written once by the page: the title without the site's name, and its description.
        assert head.title == f"{meta['og:title']} | 서울 사회적경제 지원사업"
        assert meta["og:description"] == meta["description"]


def test_the_canonical_address_keeps_what_the_page_reads_and_drops_the_rest(client, plan_2019):
    head = head_of(
        get(client, "/programs/?utm_source=kakao&month=4&eligibility=cooperative").content.decode()
    )
    assert head.links["canonical"][0]["href"] == (
        "http://testserver/programs/?eligibility=cooperative&month=4"
    )
    detail = Program.objects.first().get_absolute_url()
    head = head_of(get(client, f"{detail}?fbclid=abc").content.decode())
    assert head.links["canonical"][0]["href"] == f"http://testserver{detail}"


def test_a_program_page_previews_as_the_program(client, program):
    meta = head_of(get(client, program.get_absolute_url()).content.decode()).meta
    assert meta["og:title"] == "유통채널 입점지원"
    # Without a summary written by staff, the page's own description.
    assert meta["og:description"] == meta["description"]
    assert "유통채널 입점지원" in meta["description"]


def test_a_program_page_with_a_summary_previews_it_on_one_line(client, program):
    Program.objects.filter(pk=program.pk).update(
        summary="온라인·오프라인 유통채널에\n입점하도록 돕습니다. <b>상시</b> & 수시"
    )
    Plan.objects.all().bump_version()
    html = get(client, program.get_absolute_url()).content.decode()
    one_line = "온라인·오프라인 유통채널에 입점하도록 돕습니다. &lt;b&gt;상시&lt;/b&gt; &amp; 수시"
    assert f'<meta property="og:description" content="{one_line}">' in html
    assert head_of(html).meta["twitter:description"] == head_of(html).meta["og:description"]


def test_the_500_page_renders_without_a_request_and_without_addresses(db):
    html = render_to_string("500.html")
    assert 'rel="canonical"' not in html
    assert "og:url" not in html


# --- schema.org -------------------------------------------------------------------------


def json_ld(html: str) -> list:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


def test_a_program_page_describes_the_service_as_schema_org_data(client, program):
    html = get(client, program.get_absolute_url()).content.decode()
    service, trail = json_ld(html)
    url = f"http://testserver{program.get_absolute_url()}"
    assert service["@context"] == "https://schema.org"
    assert service["@type"] == "GovernmentService"
    assert service["name"] == program.name
    assert f'<h1 class="program__name">{program.name}</h1>' in html
    assert service["url"] == url == head_of(html).links["canonical"][0]["href"]
    assert service["provider"] == {
        "@type": "GovernmentOrganization",
        "name": "서울시사회적경제지원센터",
    }
    assert service["areaServed"]["name"] == "서울특별시"
    assert service["serviceType"] == service["category"] == program.area.name
    audiences = [a["audienceType"] for a in service["audience"]]
    assert audiences == [tag.name for tag in program.eligibility.all()]
    assert trail["@type"] == "BreadcrumbList"


def test_its_offers_are_the_application_periods_shown_on_the_page(client, make_program):
    program = make_program(
        "협동조합 상담",
        milestones=[("접수 (3.4~3.18)", 3, 3), ("선정", 4, 4), ("2차 모집", 9, 10)],
        contacts=[("서울시협동조합지원센터", "상담팀", "02-123-4567")],
        link="https://example.org/notice",
    )
    html = get(client, program.get_absolute_url()).content.decode()
    service, _ = json_ld(html)
    periods = [(o["availabilityStarts"], o["availabilityEnds"]) for o in service["offers"]]
    assert periods == [("2019-03-04", "2019-03-18"), ("2019-09-01", "2019-10-31")]
    shown_dates = " ".join(re.findall(r'<time datetime="([^"]+)"', html))
    assert "2019-03-04" in shown_dates and "2019-03-18" in shown_dates
    assert {o["url"] for o in service["offers"]} == {"https://example.org/notice"}
    (channel,) = service["availableChannel"]
    assert channel["servicePhone"]["telephone"] == "02-123-4567"
    assert "02-123-4567" in html


def test_its_breadcrumbs_are_the_pages_breadcrumbs(client, program):
    html = get(client, program.get_absolute_url()).content.decode()
    _, trail = json_ld(html)
    nav = re.search(r'<nav class="breadcrumbs.*?</nav>', html, re.S)[0]
    shown = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    items = trail["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3, 4]
    assert [(item["item"], item["name"]) for item in items] == [
        ("http://testserver" + href.replace("&amp;", "&"), name) for href, name in shown
    ]


def test_text_in_the_data_cannot_end_the_script_element(client, make_program):
    program = make_program("</script><script>alert(1)</script> & 상담")
    html = get(client, program.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert "<" not in block and ">" not in block and "&" not in block
    assert json_ld(html)[0]["name"] == "</script><script>alert(1)</script> & 상담"


# --- the sitemap --------------------------------------------------------------------------

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap(client) -> dict[str, str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }


def test_the_sitemap_lists_every_program_with_when_it_last_changed(client, plan_2019):
    entries = sitemap(client)
    for program in Program.objects.all():
        url = f"http://testserver{program.get_absolute_url()}"
        assert entries[url] == program.updated_at.date().isoformat()


def test_the_sitemap_lists_each_years_catalogue_calendar_and_months(client, make_program):
    make_program("옛 사업", year=2018)
    make_program("새 사업", year=2019)
    entries = sitemap(client)
    site = "http://testserver"
    pages = {url for url in entries if not re.search(r"/programs/\d+/$", url)}
    assert pages == {
        f"{site}/",
        f"{site}/programs/",
        f"{site}/calendar/",
        f"{site}/programs/?{urlencode({'year': 2018})}",
        f"{site}/calendar/?{urlencode({'year': 2018})}",
        *(f"{site}/calendar/{year}/{month}/" for year in (2018, 2019) for month in range(1, 13)),
    }
    changed = Plan.objects.get(year=2019).updated_at.date().isoformat()
    assert entries[f"{site}/programs/"] == changed
    assert entries[f"{site}/calendar/2019/4/"] == changed


def test_the_sitemap_leaves_out_what_is_not_public(client, make_program):
    shown = make_program("공개 사업", year=2019)
    hidden = make_program("초안 사업", year=2020)
    public = Program.objects.filter(pk=shown.pk)
    with mock.patch.object(type(Program.objects.all()), "public", lambda self: public):
        urls = set(sitemap(client))
    assert f"http://testserver{shown.get_absolute_url()}" in urls
    assert f"http://testserver{hidden.get_absolute_url()}" not in urls
    assert not any("2020" in url for url in urls)


def test_the_sitemap_of_an_empty_site_is_valid_and_empty(client, db):
    assert sitemap(client) == {}


def test_the_preview_image_is_a_real_1200_by_630_card_small_enough_to_fetch():
    image = (settings.BASE_DIR / "static" / "img" / "share.png").read_bytes()
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(image[16:20]), int.from_bytes(image[20:24])
    assert (width, height) == (1200, 630)
    assert 10_000 < len(image) < 150_000
    # Its source stays with it, so the card can be redrawn when the design changes.
    source = (settings.BASE_DIR / "docs" / "share-card.html").read_text(encoding="utf-8")
    assert "서울 사회적경제 지원사업" in source and "static/img/share.png" in source
