"""Next year's plan starts as a copy of this year's: a draft, with the same
programs and months, dates read again in the new year and amounts to confirm."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from programs.models import Plan, Program, Section, SupportArea
from schedules.models import Milestone


def rollover(*args) -> str:
    out = io.StringIO()
    call_command("rollover_plan", *map(str, args), stdout=out)
    return out.getvalue()


def test_rollover_copies_the_whole_plan_into_a_draft(plan_2019):
    output = rollover(2019, "--to", 2020)
    assert "2019년 계획을 2020년 미공개 초안으로 복사했습니다" in output
    plan = Plan.objects.get(year=2020)
    assert plan.state == Plan.State.DRAFT and plan.title.startswith("2020년")
    assert Section.objects.filter(plan=plan).count() == 2
    assert SupportArea.objects.filter(plan=plan).count() == 16
    assert Program.objects.for_year(2020).count() == 44
    assert Milestone.objects.for_year(2020).count() == Milestone.objects.for_year(2019).count()
    assert Plan.objects.get(year=2019).is_published


def test_rollover_keeps_each_programs_months_desks_tags_and_amounts(plan_2019):
    rollover(2019, "--to", 2020)
    old = Program.objects.for_year(2019).get(name="유통채널 입점지원")
    new = Program.objects.for_year(2020).get(name="유통채널 입점지원")

    def months(program):
        return sorted(program.milestones.values_list("label", "start_month", "end_month"))

    assert months(new) == months(old)
    assert list(new.contacts.order_by("pk")) == list(old.contacts.order_by("pk"))
    assert set(new.eligibility.all()) == set(old.eligibility.all())
    assert (new.budget_text, new.budget_won) == (old.budget_text, old.budget_won)
    assert (new.area.name, new.area.section.name) == (old.area.name, old.area.section.name)
    assert new.amounts_confirmed is False and old.amounts_confirmed is True
    assert new.search_text == old.search_text


def test_dates_in_labels_move_to_the_new_year_where_the_day_exists(make_program):
    make_program(
        "설명회 사업",
        year=2020,
        milestones=[("상담회 (2.27-28)", 2, 2), ("사전설명회 (2.29)", 3, 3)],
    )
    output = rollover(2020, "--to", 2021)
    copies = {m.label: m for m in Milestone.objects.for_year(2021)}
    assert copies["상담회 (2.27-28)"].start_date == dt.date(2021, 2, 27)
    assert copies["상담회 (2.27-28)"].end_date == dt.date(2021, 2, 28)
    assert copies["사전설명회 (2.29)"].start_date is None
    assert copies["사전설명회 (2.29)"].start_month == 3
    assert "2021년에 없는 날짜라 날짜를 비웠습니다: 설명회 사업: 사전설명회 (2.29)" in output


def test_rollover_refuses_a_year_that_already_has_programs(make_program):
    make_program("올해 사업", year=2019)
    make_program("이미 있는 사업", year=2020)
    with pytest.raises(
        CommandError, match="2020년 계획에 이미 사업이 1개 있어 복사하지 않았습니다"
    ):
        rollover(2019, "--to", 2020)
    assert list(Program.objects.for_year(2020).values_list("name", flat=True)) == ["이미 있는 사업"]


def test_replace_empties_the_year_first_and_leaves_it_a_draft(make_program):
    make_program("올해 사업", year=2019)
    make_program("이미 있는 사업", year=2020)
    assert "있던 사업 1개는 지웠습니다" in rollover(2019, "--to", 2020, "--replace")
    assert list(Program.objects.for_year(2020).values_list("name", flat=True)) == ["올해 사업"]
    assert not Plan.objects.get(year=2020).is_published


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((2031, "--to", 2032), "2031년 계획이 없습니다"),
        ((2019, "--to", 2019), "복사할 연도와 같습니다"),
        ((2019, "--to", 3000), "2000~2100"),
    ],
)
def test_rollover_names_what_is_wrong_and_copies_nothing(make_program, args, message):
    make_program("올해 사업", year=2019)
    with pytest.raises(CommandError, match=message):
        rollover(*args)
    assert Plan.objects.count() == 1


def test_a_rolled_over_year_is_invisible_to_the_public(client, plan_2019):
    rollover(2019, "--to", 2020)
    copy = Program.objects.for_year(2020).first()
    assert client.get(f"/programs/{copy.pk}/").status_code == 404
    assert client.get("/programs.json").json()["year"] == 2019


def test_the_admin_action_asks_for_the_year_then_copies(client, make_program):
    make_program("올해 사업", year=2019, milestones=[("공고/접수", 3, 4)])
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="편집자"))
    client.force_login(editor)
    url = reverse("admin:programs_plan_changelist")
    form = {"action": "rollover_plan", "_selected_action": ["2019"]}
    asked = client.post(url, form)
    assert asked.status_code == 200
    assert 'value="2020"' in asked.content.decode()
    done = client.post(url, {**form, "post": "yes", "target": "2020"}, follow=True)
    assert "2019년 계획을 2020년 미공개 초안으로 복사했습니다" in done.content.decode()
    copy = Program.objects.for_year(2020).get()
    assert copy.milestones.get().months_display == "3~4월"
    again = client.post(url, {**form, "post": "yes", "target": "2020"})
    assert "이미 사업이 1개 있어 복사하지 않았습니다" in again.content.decode()
