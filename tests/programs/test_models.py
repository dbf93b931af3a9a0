import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contacts.models import ContactDesk
from contacts.phones import PhoneError, display_phone, normalise_phone, tel_href
from portal.text import compact
from programs.models import Program
from schedules.models import Milestone


def test_it_refuses_two_programs_with_one_name_in_one_area(make_program):
    program = make_program("창업교육")
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.create(area=program.area, name="창업교육")


def test_it_allows_the_same_program_name_in_another_year(make_program):
    make_program("창업교육", year=2019)
    make_program("창업교육", year=2020)
    assert Program.objects.filter(name="창업교육").count() == 2


@pytest.mark.parametrize(
    ("start", "end", "constraint"),
    [
        (0, 3, "milestone_start_month_1_12"),
        (12, 13, "milestone_end_month_1_12"),
        (3, 13, "milestone_end_month_1_12"),
        (5, 4, "milestone_months_in_order"),
    ],
)
def test_the_database_rejects_impossible_months(make_program, start, end, constraint):
    program = make_program("창업교육")
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Milestone.objects.create(program=program, label="공고", start_month=start, end_month=end)


def test_it_allows_one_milestone_per_start_month(make_program):
    program = make_program("창업교육", milestones=[("공고/접수", 3, 3)])
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(program=program, label="선정", start_month=3, end_month=4)


def test_a_milestone_derives_kind_and_dates_from_its_label(make_program):
    program = make_program("공공구매 상담회", milestones=[("상담회 (2.27-28)", 2, 2)])
    milestone = program.milestones.get()
    assert milestone.kind == "education"
    assert (milestone.start_date, milestone.end_date) == (
        datetime.date(2019, 2, 27),
        datetime.date(2019, 2, 28),
    )
    milestone.label = "공고/접수"
    milestone.save()
    milestone.refresh_from_db()
    assert (milestone.kind, milestone.start_date) == ("application", None)


def test_a_span_reports_its_months(make_program):
    program = make_program("창업컨설팅", milestones=[("사업수행(4~6월)", 4, 6)])
    milestone = program.milestones.get()
    assert (milestone.span, milestone.months_display) == (3, "4~6월")
    assert milestone.covers(5) and not milestone.covers(7)


def test_search_text_ignores_spacing_and_covers_related_text(make_program):
    program = make_program(
        "생협매장 입점지원",
        area="민간판로 지원",
        target="서울시 사회적경제기업",
        milestones=[("성과 공유회", 12, 12)],
        contacts=[("", "판로지원팀", "+827042675038")],
    )
    for query in ["성과공유회", "성과 공유 회", "민간판로", "판로지원팀", "사회적 경제기업"]:
        assert Program.objects.search(query).get() == program
    assert not Program.objects.search("마을기업").exists()
    assert compact(" A b\nC ") == "abc"


def test_amounts_round_trip_through_the_model(make_program):
    from programs.amounts import parse_amount

    program = make_program("전략모델 협업사업화 지원")
    program.budget = parse_amount("6억원/7개 내외")
    program.per_company = parse_amount("최대 8천만원")
    program.save()
    program.refresh_from_db()
    assert (program.budget_won, program.budget_quantity, program.budget_is_approx) == (
        600_000_000,
        7,
        True,
    )
    assert program.per_company_display == "최대 8,000만 원"
    assert program.budget_display == "6억 원 내외 · 7개"


@pytest.mark.parametrize(
    ("raw", "shown", "href"),
    [
        ("070-4267-5038", "070-4267-5038", "tel:+827042675038"),
        ("02-383-8324", "02-383-8324", "tel:+8223838324"),
        ("0704168 8323", "070-4168-8323", "tel:+827041688323"),
        ("1544-5077", "1544-5077", "tel:15445077"),
    ],
)
def test_it_formats_korean_phone_numbers(raw, shown, href):
    e164 = normalise_phone(raw)
    assert (display_phone(e164), tel_href(e164)) == (shown, href)


@pytest.mark.parametrize("bad", ["123", "02-12", "전화 없음", "010-1234"])
def test_it_rejects_numbers_that_cannot_be_called(bad):
    with pytest.raises(PhoneError):
        normalise_phone(bad)


def test_a_contact_desk_validates_its_phone_on_clean(db):
    desk = ContactDesk(team="판로지원팀", phone="070 4267 5038")
    desk.full_clean()
    assert desk.phone == "+827042675038"
    with pytest.raises(ValidationError, match="phone"):
        ContactDesk(team="판로지원팀", phone="12").full_clean()


def test_an_empty_contact_desk_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError, match="contact_desk_not_empty"), transaction.atomic():
        ContactDesk.objects.create()


@pytest.mark.parametrize("scheme", ["javascript:alert(1)", "data:text/html,x", "JAVASCRIPT:x"])
def test_the_database_refuses_links_that_are_not_web_addresses(make_program, scheme):
    program = make_program("창업교육")
    with pytest.raises(IntegrityError, match="program_link_is_web_address"), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(link=scheme)
    desk_refused = pytest.raises(IntegrityError, match="contact_desk_url_is_web_address")
    with desk_refused, transaction.atomic():
        ContactDesk.objects.create(team="팀", url=scheme)
