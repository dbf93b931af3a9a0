"""/programs.atom follows a catalogue search, and the catalogue offers it
(with the calendar feed and e-mail alerts) as "이 조건 구독"."""

import datetime as dt
import re
from unittest import mock
from urllib.parse import parse_qsl, urlsplit
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree as ET
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programs.models import Program

ATOM = "{http://www.w3.org/2005/Atom}"
SEOUL_MARCH_15 = dt.datetime(2019, 3, 15, 3, 0, tzinfo=dt.UTC)


def on_march_15():
    return mock.patch.object(timezone, "now", return_value=SEOUL_MARCH_15)


def feed(client, query: str = "") -> Element:
    with on_march_15():
        response = client.get(f"/programs.atom?{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def entry_ids(root: Element) -> list[int]:
    links = [entry.find(f"{ATOM}link").get("href") for entry in root.iter(f"{ATOM}entry")]
    return [int(re.fullmatch(r"http://testserver/programs/(\d+)/", link)[1]) for link in links]


def catalogue_ids(client, query: str) -> list[int]:
    """Every program the catalogue lists for `query`, all pages, in page order."""
    found, number = [], 1
    while True:
        with on_march_15():
            response = client.get(f"/programs/?{query}&page={number}")
        page = response.context["page"]
        found += [program.pk for program in page.object_list]
        if not page.has_next():
            return found
        number += 1


@pytest.mark.parametrize(
    "query",
    [
        "",
        "eligibility=cooperative",
        "status=open",
        "status=closed&sort=name",
        "month=4&kind=application",
        "area=공공구매 활성화",
        "q=컨설팅&sort=amount",
        "eligibility=pre-cooperative&eligibility=village-enterprise&sort=application",
    ],
)
def test_the_feed_lists_exactly_the_catalogues_programs_in_its_order(client, plan_2019, query):
    expected = catalogue_ids(client, query)
    assert expected, "each query should find something in the 2019 plan"
    assert entry_ids(feed(client, query)) == expected


def test_the_whole_plan_is_one_feed_however_many_catalogue_pages_it_takes(client, plan_2019):
    assert len(entry_ids(feed(client))) == Program.objects.count() == 44


def test_the_feed_title_names_the_year_and_the_filter(client, plan_2019):
    assert feed(client).findtext(f"{ATOM}title") == "2019년 지원사업"
    root = feed(client, "eligibility=cooperative&status=open")
    assert root.findtext(f"{ATOM}title") == "2019년 지원사업: 협동조합 · 접수중"


def test_the_feed_links_to_the_same_search_on_the_catalogue_and_to_itself(client, plan_2019):
    root = feed(client, "eligibility=cooperative&utm_source=x")
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "alternate": "http://testserver/programs/?eligibility=cooperative",
        "self": "http://testserver/programs.atom?eligibility=cooperative",
    }
    assert root.findtext(f"{ATOM}id") == links["alternate"]


@pytest.fixture
def one_open_program(make_program):
    return make_program(
        "협동조합 경영 컨설팅",
        area="컨설팅",
        target="(예비)협동조합 & 사회적협동조합",
        budget_text="1.2억원",
        budget_won=120_000_000,
        per_company_text="최대 500만원",
        per_company_won=5_000_000,
        per_company_is_max=True,
        milestones=[("접수 (3.4~3.18)", 3, 3), ("선정", 4, 4), ("2차 모집", 9, 10)],
        eligibility=["cooperative"],
    )


def test_an_entry_says_what_the_program_is_and_whether_it_is_open(client, one_open_program):
    program = one_open_program
    (entry,) = feed(client).iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "협동조합 경영 컨설팅 (접수중)"
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/programs/{program.pk}/"
    assert entry.findtext(f"{ATOM}updated") == program.updated_at.isoformat()
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # The summary is HTML carried as text: the target's "&" arrives escaped once.
    text = summary.text
    assert "<li>지원분야: 협동조합 지원사업 · 컨설팅</li>" in text
    assert "<li>지원대상: (예비)협동조합 &amp; 사회적협동조합</li>" in text
    assert "업체당 지원: 최대 500만 원" in text
    assert "사업 전체 규모: 1억 2,000만 원" in text
    assert "<li>접수: 3월 4일~18일, 9~10월 · 접수중 (마감 D-3)</li>" in text
    categories = [c.get("term") for c in entry.findall(f"{ATOM}category")]
    assert categories == ["컨설팅", "협동조합"]


def test_a_program_without_application_dates_says_so(client, make_program):
    make_program("상시 상담", milestones=[("상담", 1, 12)])
    (entry,) = feed(client).iter(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "상시 상담"
    assert "접수: 계획표에 접수 일정이 없습니다" in entry.find(f"{ATOM}summary").text


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("month=13", "월(month): ‘13’"),
        ("status=soon", "접수 상태(status): ‘soon’"),
        ("eligibility=martians", "지원대상(eligibility): ‘martians’"),
        ("amount_min=lots", "업체당 금액 하한(amount_min): ‘lots’"),
    ],
)
def test_an_unusable_parameter_is_a_400_naming_it(client, plan_2019, query, named):
    response = client.get(f"/programs.atom?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert named in response.content.decode()


def test_a_page_number_is_no_part_of_a_feed(client, plan_2019):
    assert entry_ids(feed(client, "page=3")) == entry_ids(feed(client))


def test_the_feed_costs_the_same_queries_for_one_program_or_many(client, make_program):
    make_program("사업 하나", milestones=[("접수", 3, 3)], contacts=[("센터", "팀", "02-123-4567")])

    def count() -> int:
        with on_march_15(), CaptureQueriesContext(connection) as queries:
            assert client.get("/programs.atom?q=사업").status_code in (200,)
        return len(queries)

    few = count()
    for n in range(12):
        make_program(
            f"사업 {n}", milestones=[("접수", 3, 3), ("선정", 4, 4)], eligibility=["cooperative"]
        )
    assert count() == few


def test_a_feed_without_any_plan_is_empty_not_an_error(client, db):
    root = feed(client)
    assert root.findtext(f"{ATOM}title") == "서울 사회적경제 지원사업"
    assert entry_ids(root) == []


# --- "이 조건 구독" on the catalogue ---------------------------------------------------


def subscribe_links(html: str) -> dict[str, str]:
    box = re.search(r'<aside class="subscribe[^"]*" id="subscribe".*?</aside>', html, re.S)
    assert box, "the catalogue should offer its search to follow"
    hrefs = re.findall(r'<a class="subscribe__link" href="([^"]+)"', box[0])
    return {urlsplit(href).path: href for href in hrefs}


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url.replace("&amp;", "&")).query)


def test_a_filtered_catalogue_offers_its_search_as_mail_feed_and_calendar(client, plan_2019):
    query = "eligibility=cooperative&status=open&area=공공구매+활성화"
    html = client.get(f"/programs/?{query}&page=1").content.decode()
    links = subscribe_links(html)
    assert set(links) == {"/alerts/", "/programs.atom", "/calendar.ics"}
    expected = [("area", "공공구매 활성화"), ("eligibility", "cooperative"), ("status", "open")]
    for href in links.values():
        assert query_of(href) == expected, href
    assert links["/programs.atom"].startswith("http://testserver/programs.atom?")
    # A calendar app subscribes from webcal: and keeps the events up to date.
    assert links["/calendar.ics"].startswith("webcal://testserver/calendar.ics?")
    assert "이 조건 구독" in html
    assert ">http://testserver/calendar.ics?area=" in html  # the address to paste


def test_an_empty_result_can_still_be_followed(client, plan_2019):
    html = client.get("/programs/?q=우주정거장건설").content.decode()
    assert "이 조건 구독" in html
    assert query_of(subscribe_links(html)["/programs.atom"]) == [("q", "우주정거장건설")]


def test_the_catalogue_names_its_feed_for_feed_readers(client, plan_2019):
    html = client.get("/programs/?eligibility=cooperative").content.decode()
    (link,) = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', html)
    assert 'href="http://testserver/programs.atom?eligibility=cooperative"' in link
    assert 'title="2019년 지원사업: 협동조합 (Atom 피드)"' in link


def test_other_pages_name_the_whole_plans_feed(client, plan_2019):
    html = client.get("/calendar/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/programs.atom"' in html
