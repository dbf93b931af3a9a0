"""Following a search and sharing a page, in a real browser: the "이 조건 구독" box
on the catalogue (axe, both widths, photographed), its feed answering with the
page's programs, the schema.org data on a program page under the strict CSP, and
the link-preview image."""

import json
import re

import pytest
from defusedxml import ElementTree as ET

from tests.browser.pages import richest_program
from tests.browser.support import (
    DESKTOP,
    MOBILE,
    SIDEWAYS_OVERFLOW,
    axe_report,
    axe_violations,
    screenshot,
    visit,
)

pytestmark = pytest.mark.browser

ATOM = "{http://www.w3.org/2005/Atom}"
FILTERED = "/programs/?eligibility=pre-cooperative&month=4"


def result_links(page) -> list[str]:
    """The absolute address of each program the result list shows."""
    results = page.get_by_role("region", name="검색 결과")
    return results.locator("h3 a").evaluate_all("links => links.map(link => link.href)")


def test_the_subscribe_box_is_accessible_and_fits_a_phone(page):
    visit(page, FILTERED)
    box = page.get_by_role("complementary", name="이 조건 구독")
    failures = []
    for width, size in (("desktop", DESKTOP), ("mobile", MOBILE)):
        page.set_viewport_size(size)
        assert box.is_visible()
        box.scroll_into_view_if_needed()
        screenshot(page, f"catalogue-subscribe-{width}")
        violations = axe_violations(page)
        if violations:
            failures.append(f"{size['width']} px:\n{axe_report(violations)}")
        overflowing = page.evaluate(SIDEWAYS_OVERFLOW)
        assert not overflowing, f"cut off at the right edge at {size['width']} px: {overflowing}"
    assert not failures, "axe-core found violations:\n" + "\n\n".join(failures)


def test_the_link_at_the_top_leads_to_the_box(page):
    visit(page, FILTERED)
    page.get_by_role("link", name=re.compile("^이 조건 구독")).click()
    page.wait_for_url(re.compile("#subscribe$"))
    assert page.get_by_role("heading", name="이 조건 구독").is_visible()


def test_the_feed_offered_lists_the_programs_the_page_lists(page):
    visit(page, FILTERED)
    shown = result_links(page)
    assert shown
    box = page.get_by_role("complementary", name="이 조건 구독")
    feed_url = box.get_by_role("link", name=re.compile("피드 리더로 구독")).get_attribute("href")
    response = page.request.get(feed_url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.body())
    entries = [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]
    assert entries == shown
    # Feed readers find the same feed from the page itself.
    alternate = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    assert alternate.get_attribute("href") == feed_url


def test_the_email_link_carries_the_search_to_the_alerts_page(page):
    visit(page, FILTERED)
    box = page.get_by_role("complementary", name="이 조건 구독")
    box.get_by_role("link", name="이메일로 받기").click()
    page.wait_for_url(re.compile(r"/alerts/\?eligibility=pre-cooperative&month=4$"))


def test_a_program_page_carries_schema_org_data_without_a_csp_complaint(page):
    program = richest_program()
    # visit() fails on any console error, which is where Chromium reports what
    # the Content-Security-Policy blocked.
    visit(page, program.get_absolute_url())
    blocks = page.locator('script[type="application/ld+json"]')
    assert blocks.count() == 1
    service, trail = json.loads(blocks.text_content())
    assert service["name"] == program.name == page.locator("h1").inner_text()
    assert service["url"] == page.url
    assert trail["itemListElement"][-1]["item"] == page.url


def test_the_link_preview_image_is_served(page):
    visit(page, "/")
    image_url = page.locator('meta[property="og:image"]').get_attribute("content")
    assert image_url.startswith(page.url.rstrip("/"))
    response = page.request.get(image_url)
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    body = response.body()
    assert len(body) < 150_000
    # PNG header: IHDR width and height, big-endian.
    assert (int.from_bytes(body[16:20]), int.from_bytes(body[20:24])) == (1200, 630)
    assert re.fullmatch(
        r"http://[^/]+/", page.locator('link[rel="canonical"]').get_attribute("href")
    )
