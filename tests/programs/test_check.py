"""/check/ (자가진단): a GET form whose answers are the catalogue's filters.
Submitting it lists exactly the programs that match, says on each which answers
it met, and stores nothing."""

import datetime as dt
import html
import re
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

SEOUL_MARCH_15 = dt.datetime(2019, 3, 15, 3, 0, tzinfo=dt.UTC)


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


@pytest.fixture
def plan(make_program):
    make_program(
        "협동조합 교육",
        area="교육지원",
        eligibility=["cooperative"],
        milestones=[("공고/접수", 3, 3)],
    )
    make_program(
        "협동조합 상담",
        area="상담",
        eligibility=["cooperative", "social-economy-enterprise"],
        milestones=[("공고/접수", 9, 9)],
    )
    make_program(
        "예비 창업 교육",
        area="교육지원",
        eligibility=["pre-cooperative"],
        milestones=[("접수 (3.4~3.18)", 3, 3)],
    )
    make_program(
        "마을기업 컨설팅",
        area="컨설팅",
        eligibility=["village-enterprise", "social-economy-enterprise"],
        milestones=[("모집", 2, 2)],
    )
    make_program("시민 행사", area="교육지원", eligibility=["citizen"])


def get(client, url, params=None):
    with mock.patch.object(timezone, "now", return_value=SEOUL_MARCH_15):
        return client.get(url, params or {}, follow=True)


def form_of(markup: str) -> str:
    return re.search(r'<form class="self-check".*?</form>', markup, re.S).group(0)


def controls(form: str) -> list[tuple[str, str, str]]:
    """(type, name, value) of each checkbox and radio in the form."""
    return [
        (kind, name, value)
        for kind, name, value in re.findall(
            r'<input type="(checkbox|radio)" id="[^"]+" name="(\w+)" value="([^"]*)"', form
        )
    ]


def results(response) -> list[str]:
    return [program.name for program in response.context["page"].object_list]


def test_the_form_is_a_get_to_the_catalogue_with_legends_and_labels(client, plan):
    markup = get(client, "/check/").content.decode()
    form = form_of(markup)
    assert 'method="get" action="/programs/"' in form
    assert "csrfmiddlewaretoken" not in form
    legends = [text_of(legend) for legend in re.findall(r"<legend[^>]*>(.*?)</legend>", form)]
    assert legends == [
        "1 어떤 조직인가요?",
        "2 아직 설립 전인가요?",
        "3 관심 있는 분야가 있나요?",
        "4 언제 신청하려고 하나요?",
    ]
    for input_id in re.findall(
        r'<(?:input|select) type="\w+" id="([^"]+)"|<select id="([^"]+)"', form
    ):
        labelled = [value for value in input_id if value]
        assert f'<label for="{labelled[0]}"' in form
    assert "지역은 묻지 않습니다" in text_of(form)


def test_it_offers_the_years_eligibility_tags_with_not_yet_founded_as_its_own_question(
    client, plan
):
    form = form_of(get(client, "/check/").content.decode())
    assert controls(form) == [
        # The usual kinds of organisation first; only tags some program of the year has.
        ("checkbox", "eligibility", "cooperative"),
        ("checkbox", "eligibility", "village-enterprise"),
        ("checkbox", "eligibility", "social-economy-enterprise"),
        ("checkbox", "eligibility", "citizen"),
        ("checkbox", "eligibility", "pre-cooperative"),
        ("checkbox", "status", "open"),
    ]
    assert "2개 사업" in text_of(form)  # 협동조합: two programs
    assert "네, 아직 설립 전입니다" in text_of(form)


def test_it_offers_the_years_areas_and_says_how_many_are_open_today(client, plan):
    form = form_of(get(client, "/check/").content.decode())
    areas = re.findall(r'<option value="([^"]*)">', form)
    assert areas == ["", "교육지원", "상담", "컨설팅"]
    assert "오늘(3월 15일) 접수중인 사업은 2개입니다" in text_of(form)


@pytest.mark.parametrize(
    ("answers", "expected", "matched"),
    [
        (
            [("eligibility", "cooperative"), ("area", ""), ("status", "open")],
            ["협동조합 교육"],
            {"협동조합 교육": "협동조합 · 접수중"},
        ),
        (
            [("eligibility", "cooperative"), ("area", "상담")],
            ["협동조합 상담"],
            {"협동조합 상담": "협동조합 · 상담 분야"},
        ),
        (
            # Not yet founded: the 예비 programs, whatever else was ticked (any of them).
            [("eligibility", "citizen"), ("eligibility", "pre-cooperative"), ("area", "교육지원")],
            ["예비 창업 교육", "시민 행사"],
            {
                "예비 창업 교육": "예비협동조합 · 교육지원 분야",
                "시민 행사": "서울시민 · 교육지원 분야",
            },
        ),
        (
            [("eligibility", "village-enterprise"), ("eligibility", "social-economy-enterprise")],
            ["협동조합 상담", "마을기업 컨설팅"],
            {"협동조합 상담": "사회적경제기업", "마을기업 컨설팅": "사회적경제기업 · 마을기업"},
        ),
        ([("area", "")], None, {}),
    ],
)
def test_submitting_the_answers_lists_exactly_the_matching_programs_and_what_they_met(
    client, plan, answers, expected, matched
):
    response = get(client, "/programs/?" + urlencode(answers))
    assert response.status_code == 200
    # Unanswered questions leave no empty parameters behind in the address.
    final_url = response.redirect_chain[-1][0] if response.redirect_chain else ""
    assert "=&" not in final_url and not final_url.endswith("=")
    names = results(response)
    if expected is None:
        assert len(names) == 5
    else:
        assert names == expected
    markup = response.content.decode()
    shown = {
        text_of(name): text_of(answer)
        for name, answer in re.findall(
            r'<h3 class="result__name">(.*?)</h3>.*?<p class="result__matched">'
            r'<span class="result__matched-label">맞는 조건:</span>(.*?)</p>',
            markup,
            re.S,
        )
    }
    assert shown == matched


def test_the_check_page_sets_no_cookie_and_touches_no_session(client, plan):
    response = get(client, "/check/")
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in str(response.serialize_headers())
    assert not client.cookies
    assert not Session.objects.exists()
    assert "Cookie" not in response.get("Vary", "")


def test_the_check_page_is_cached_like_other_public_pages(client, plan, django_assert_num_queries):
    get(client, "/check/")
    with django_assert_num_queries(1):  # the plan versions; the page comes from the cache
        again = get(client, "/check/")
    assert "어떤 조직인가요?" in again.content.decode()


def test_an_older_year_keeps_its_year_in_the_form(client, plan, make_program):
    make_program("2020 사업", year=2020, area="새 분야", eligibility=["cooperative"])
    latest = form_of(get(client, "/check/").content.decode())
    assert 'name="year"' not in latest
    assert '<option value="새 분야">' in latest
    older = form_of(get(client, "/check/", {"year": "2019"}).content.decode())
    assert '<input type="hidden" name="year" value="2019">' in older
    assert "새 분야" not in older


def test_a_past_plan_says_nothing_is_open_any_more(client, plan):
    with mock.patch.object(timezone, "now", return_value=dt.datetime(2020, 2, 1, 3, tzinfo=dt.UTC)):
        markup = client.get("/check/").content.decode()
    assert "접수중인 사업은 0개입니다. 2019년 계획의 접수는 모두 끝났습니다." in text_of(markup)


def test_the_home_page_links_to_the_check(client, plan):
    markup = get(client, "/").content.decode()
    assert 'href="/check/">나에게 맞는 사업 찾기(자가진단)</a>' in markup
