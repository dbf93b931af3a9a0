"""iCalendar feeds: valid RFC 5545, all-day events over months or exact dates,
UIDs that survive a re-import, the catalogue's filters."""

import datetime
import io

import pytest
from django.core.management import call_command
from icalendar import Calendar

from programs.models import Program
from tests.support.calendar_data import PLAN_2019, build_small_plan, read_sheet
from tests.support.sample_programs import numbered_programs


@pytest.fixture
def small_plan(make_program):
    return build_small_plan(make_program)


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def events(client, url="/calendar.ics"):
    calendar = Calendar.from_ical(feed(client, url).content)
    return list(calendar.walk("VEVENT"))


def by_summary(client, url="/calendar.ics"):
    return {str(event["SUMMARY"]): event for event in events(client, url)}


def days(event):
    return event.decoded("DTSTART"), event.decoded("DTEND")


def test_the_feed_is_valid_icalendar_with_the_required_properties(client, small_plan):
    body = feed(client, "/calendar.ics").content
    # RFC 5545 3.1: CRLF line ends, lines folded at 75 octets.
    lines = body.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR"
    assert all(len(line) <= 75 for line in lines)
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0"
    assert "PRODID" in calendar
    assert str(calendar["X-WR-CALNAME"]) == "2019년 서울 사회적경제 지원사업 추진일정"
    # Subscribed calendars look again twice a day, so edits reach them.
    assert calendar.decoded("REFRESH-INTERVAL") == datetime.timedelta(hours=12)
    found = calendar.walk("VEVENT")
    assert len(found) == 10  # every milestone of the small plan
    for event in found:
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert name in event, name
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        start, end = days(event)
        assert type(start) is datetime.date and start < end


# (summary, first day, the day after the last: DTEND is exclusive)
ALL_DAY_EVENTS = [
    # A month-level milestone covers its whole months.
    ("[사업 수행·수시] 맞춤형 성장지원: 사업수행(4~11월)", (2019, 4, 1), (2019, 12, 1)),
    ("[공고·접수] 맞춤형 성장지원: 공고/접수/선정", (2019, 3, 1), (2019, 4, 1)),
    # A span reaching December ends on the first day of the next year.
    ("[교육·행사] 찾아가는 협동조합 교육: 교육진행(1~12월 수시신청)", (2019, 1, 1), (2020, 1, 1)),
    # Exact dates in the label become exactly those days.
    ("[교육·행사] 공공구매 상담회: 상담회 (2.27-28)", (2019, 2, 27), (2019, 3, 1)),
    ("[교육·행사] 공공구매 상담회: 사전설명회 (2.11)", (2019, 2, 11), (2019, 2, 12)),
]


@pytest.mark.parametrize(("summary", "first", "after"), ALL_DAY_EVENTS)
def test_a_milestone_is_an_all_day_event_over_its_months_or_its_exact_days(
    client, small_plan, summary, first, after
):
    found = by_summary(client)
    assert days(found[summary]) == (datetime.date(*first), datetime.date(*after))


def test_an_event_tells_where_to_read_more_and_whom_to_call(client, small_plan):
    event = by_summary(client)["[교육·행사] 공공구매 상담회: 상담회 (2.27-28)"]
    url = f"http://testserver{small_plan['purchase'].get_absolute_url()}"
    assert str(event["URL"]) == url
    description = str(event["DESCRIPTION"])
    assert "서울시사회적경제지원센터 지원사업 · 공공구매 활성화" in description
    assert "지원대상: 서울시 사회적경제기업" in description
    assert "문의: 공공구매영업지원단 070-4270-3942" in description
    assert url in description


def test_every_milestone_has_its_own_uid(client, small_plan):
    uids = [str(event["UID"]) for event in events(client)]
    assert len(set(uids)) == len(uids) == 10


def test_uids_survive_a_reimport_that_gives_new_database_ids(client, small_plan, make_program):
    before = {str(e["SUMMARY"]): str(e["UID"]) for e in events(client)}
    old_ids = {p.pk for p in small_plan.values()}
    # What a fresh import of the same sheet into an emptied year does: the
    # same programs as new rows with new ids.
    Program.objects.filter(area__plan_id=2019).delete()
    again = build_small_plan(make_program)
    assert not old_ids & {p.pk for p in again.values()}
    after = {str(e["SUMMARY"]): str(e["UID"]) for e in events(client)}
    assert after == before


def test_a_changed_label_keeps_its_uid_so_calendars_update_the_event(client, small_plan):
    before = by_summary(client)["[공고·접수] 맞춤형 성장지원: 공고/접수/선정"]
    milestone = small_plan["growth"].milestones.get(start_month=3)
    milestone.label = "공고/접수 (3.4~3.15)"
    milestone.save()
    after = by_summary(client)["[공고·접수] 맞춤형 성장지원: 공고/접수 (3.4~3.15)"]
    assert str(after["UID"]) == str(before["UID"])
    assert days(after) == (datetime.date(2019, 3, 4), datetime.date(2019, 3, 16))


def summaries(client, url):
    return sorted(str(event["SUMMARY"]) for event in events(client, url))


def test_the_feed_takes_the_catalogue_filters(client, small_plan):
    found = summaries(client, "/calendar.ics?area=컨설팅")
    assert {summary.split(": ")[0].split("] ")[1] for summary in found} == {
        "창업컨설팅",
        "맞춤형 성장지원",
    }
    assert len(found) == 6


def test_a_kind_filter_keeps_only_those_milestones(client, small_plan):
    assert summaries(client, "/calendar.ics?kind=application&area=컨설팅") == [
        "[공고·접수] 맞춤형 성장지원: 공고/접수/선정",
        "[공고·접수] 창업컨설팅: 공고/접수/선정",
        "[공고·접수] 창업컨설팅: 공고/접수/선정",
    ]
    calendar = Calendar.from_ical(feed(client, "/calendar.ics?kind=application").content)
    assert "공고·접수" in str(calendar["X-WR-CALNAME"])


def test_a_month_filter_keeps_the_events_of_that_month(client, small_plan):
    assert summaries(client, "/calendar.ics?month=8") == [
        "[교육·행사] 찾아가는 협동조합 교육: 교육진행(1~12월 수시신청)",
        "[사업 수행·수시] 맞춤형 성장지원: 사업수행(4~11월)",
        "[사업 수행·수시] 창업컨설팅: 사업수행(7~11월)",
    ]


@pytest.mark.parametrize(
    ("query", "named"),
    [("month=13", "월(month)"), ("kind=x", "일정 종류(kind)"), ("area=없음", "지원분야(area)")],
)
def test_an_unusable_filter_is_refused_naming_the_parameter(client, small_plan, query, named):
    response = client.get(f"/calendar.ics?{query}")
    assert response.status_code == 400
    assert named in response.content.decode()


def test_the_program_feed_holds_that_programs_milestones_only(client, small_plan):
    program = small_plan["startup"]
    found = events(client, f"/programs/{program.pk}/calendar.ics")
    assert len(found) == 4
    assert all("창업컨설팅" in str(event["SUMMARY"]) for event in found)
    whole = {str(e["UID"]) for e in events(client)}
    assert {str(e["UID"]) for e in found} <= whole


def test_the_program_feed_of_an_unknown_program_is_not_found(client, small_plan):
    assert client.get("/programs/999999/calendar.ics").status_code == 404


def test_the_feed_costs_the_same_queries_however_many_programs(
    client, small_plan, make_program, django_assert_max_num_queries
):
    budget = 6  # version, plans, programs, eligibility, milestones, contact links
    with django_assert_max_num_queries(budget):
        feed(client, "/calendar.ics")
    numbered_programs(
        make_program,
        20,
        name="추가",
        desk=("센터", ""),
        eligibility=(),
        milestones=[("공고/접수", 2, 2)],
    )
    with django_assert_max_num_queries(budget):
        assert len(Calendar.from_ical(feed(client, "/calendar.ics").content).walk("VEVENT")) == 30


# -- the shipped 2019 plan ----------------------------------------------------------


def first_of_month_after(month):
    return datetime.date(2019, month + 1, 1) if month < 12 else datetime.date(2020, 1, 1)


def test_the_2019_feed_has_an_event_for_every_milestone_of_the_sheet(client, plan_2019):
    sheet = read_sheet(PLAN_2019)
    found = events(client, "/calendar.ics?year=2019")
    assert len(found) == sum(len(p.milestones) for p in sheet) == 176
    by_text = {}
    for event in found:
        by_text.setdefault(str(event["SUMMARY"]).split("] ", 1)[1], []).append(days(event))
    for program in sheet:
        for label, start, end in program.milestones:
            spans = by_text[f"{program.name}: {label}"]
            if "(2.11)" in label:  # the one cell of 2019 that states exact dates
                assert spans == [(datetime.date(2019, 2, 11), datetime.date(2019, 3, 1))]
            else:
                month_span = (datetime.date(2019, start, 1), first_of_month_after(end))
                assert month_span in spans, (program.name, label)


def test_a_reimport_of_the_2019_sheet_keeps_every_uid(client, plan_2019):
    def uids():
        return sorted(str(event["UID"]) for event in events(client, "/calendar.ics?year=2019"))

    before = uids()
    assert len(set(before)) == 176
    old_ids = set(Program.objects.values_list("pk", flat=True))
    Program.objects.filter(area__plan=plan_2019).delete()
    call_command("import_programs", str(PLAN_2019), stdout=io.StringIO())
    assert not old_ids & set(Program.objects.values_list("pk", flat=True))
    assert uids() == before
