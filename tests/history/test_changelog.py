"""The public change log: corrections since publication on the program's page
and in /changes.atom, in the units people read."""

from defusedxml import ElementTree as ET
from django.core.cache import caches
from django.urls import reverse

from history.context import scope
from programs.models import Plan
from tests.support.admin_forms import program_form

ATOM = "{http://www.w3.org/2005/Atom}"


def change(client, program, **overrides):
    program.refresh_from_db()
    url = reverse("admin:programs_program_change", args=[program.pk])
    response = client.post(url, program_form(program, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    for cache in caches.all():
        cache.clear()


def changes_section(client, program) -> str:
    html = client.get(program.get_absolute_url()).content.decode()
    if 'id="changes"' not in html:
        return ""
    return html.split('id="changes"', 1)[1].split("</section>", 1)[0]


def plain(section: str) -> str:
    """The section's text as a screen reader would not hear it: tags and hidden words out."""
    for hidden in ('<span class="visually-hidden">에서</span>',
                   '<span class="visually-hidden">(으)로 바뀜</span>'):  # fmt: skip
        section = section.replace(hidden, "")
    while "<" in section:
        start = section.index("<")
        section = section[:start] + section[section.index(">", start) + 1 :]
    return " ".join(section.split())


def entries(client, query=""):
    response = client.get(reverse("history:changes_atom") + query)
    assert response.status_code == 200, response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def test_a_program_never_corrected_shows_no_change_log(client, editor_client, sample):
    assert changes_section(client, sample) == ""
    assert entries(client) == []


def test_a_budget_correction_shows_on_the_page_in_the_units_people_read(
    client, editor_client, sample
):
    change(editor_client, sample, budget_text="1.5억원")
    section = plain(changes_section(client, sample))
    assert section.lstrip("> ").startswith("변경 이력")
    assert "지원규모 1억 2,400만 원 → 1억 5,000만 원" in section


def test_a_milestone_correction_reads_as_months(client, editor_client, sample):
    change(editor_client, sample, **{"milestones-0-end_month": 4})
    assert "접수 3월 → 3~4월" in plain(changes_section(client, sample))


def test_staff_only_text_and_internal_fields_are_never_shown(client, editor_client, sample):
    change(
        editor_client,
        sample,
        summary="내부 메모: 예산 협의 중",
        position=7,
        link="https://example.org/notice",
        eligibility=[],
    )
    assert changes_section(client, sample) == ""
    assert entries(client) == []
    html = client.get(sample.get_absolute_url()).content.decode()
    assert "예산 협의" in html  # the summary itself is public; only its history is not listed
    assert "position" not in changes_section(client, sample)


def test_changes_made_before_publication_are_not_corrections(client, editor_client, sample):
    plan = Plan.objects.get(year=2019)
    plan.unpublish()
    change(editor_client, sample, budget_text="1.5억원")
    plan.publish()
    for cache in caches.all():
        cache.clear()
    assert changes_section(client, sample) == ""
    change(editor_client, sample, target="서울시 사회적경제기업 및 예비기업")
    section = plain(changes_section(client, sample))
    assert "지원대상 서울시 사회적경제기업 → 서울시 사회적경제기업 및 예비기업" in section
    assert "지원규모" not in section


def test_the_feed_names_the_program_and_the_change_and_links_to_its_page(
    client, editor_client, sample
):
    change(editor_client, sample, budget_text="1.5억원")
    [entry] = entries(client)
    assert entry.findtext(f"{ATOM}title") == "유통채널 입점지원: 지원규모 변경"
    assert "지원규모: 1억 2,400만 원 → 1억 5,000만 원" in entry.findtext(f"{ATOM}summary")
    link = entry.find(f"{ATOM}link").get("href")
    assert link.endswith(f"/programs/{sample.pk}/#changes")


def test_the_feed_is_newest_first_and_filtered_by_year_and_area(
    client, editor_client, sample, make_program
):
    with scope("처음 입력"):
        other = make_program("창업컨설팅", area="컨설팅", target="예비창업자")
        later = make_program("교육", area="컨설팅", year=2020, target="시민")
    change(editor_client, sample, budget_text="1.5억원")
    change(editor_client, other, target="예비창업자와 협동조합")
    titles = [e.findtext(f"{ATOM}title") for e in entries(client, "?year=2019")]
    assert titles == ["창업컨설팅: 지원대상 변경", "유통채널 입점지원: 지원규모 변경"]
    area = [e.findtext(f"{ATOM}title") for e in entries(client, "?year=2019&area=민간판로 지원")]
    assert area == ["유통채널 입점지원: 지원규모 변경"]
    change(editor_client, later, target="서울시민")
    # Without a year the feed follows the catalogue: the latest published year.
    assert [e.findtext(f"{ATOM}title") for e in entries(client)] == ["교육: 지원대상 변경"]


def test_the_feed_refuses_a_year_it_cannot_read_naming_it(client, sample):
    response = client.get(reverse("history:changes_atom") + "?year=twenty")
    assert response.status_code == 400
    assert "year" in response.content.decode() or "연도" in response.content.decode()


def test_a_detail_page_without_corrections_costs_one_query_more(
    client, sample, django_assert_max_num_queries
):
    client.get(sample.get_absolute_url())
    for cache in caches.all():
        cache.clear()
    with django_assert_max_num_queries(7, info="detail page"):
        assert client.get(sample.get_absolute_url()).status_code == 200
