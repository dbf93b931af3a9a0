"""Fixtures for history: an editor of the 편집자 group, and the admin's program
form as a browser would post it (every inline row included)."""

import pytest
from django.contrib.auth.models import Group, User

from history.context import scope
from programs.amounts import parse_amount


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name="편집자"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def sample(make_program):
    # Made as one change, as the admin's add form or an import would make it.
    with scope("처음 입력"):
        program = make_program(
            "유통채널 입점지원",
            area="민간판로 지원",
            target="서울시 사회적경제기업",
            milestones=[("공고/접수", 3, 3), ("선정/협약", 4, 4)],
            contacts=[("", "판로지원팀", "+827042675038")],
            eligibility=["social-economy-enterprise"],
            budget_text="1.24억원",
            per_company_text="최대 7천만원",
            summary="판로 개척을 돕습니다.",
        )
        program.budget = parse_amount(program.budget_text)
        program.per_company = parse_amount(program.per_company_text)
        program.save()
    return program


def program_form(program, **overrides):
    """The change form of `program` as it stands, with `overrides` applied."""
    data = {
        "area": program.area_id,
        "name": program.name,
        "position": program.position,
        "target": program.target,
        "eligibility": [tag.pk for tag in program.eligibility.all()],
        "budget_text": program.budget_text,
        "per_company_text": program.per_company_text,
        "amounts_confirmed": "on" if program.amounts_confirmed else "",
        "summary": program.summary,
        "link": program.link,
    }
    milestones = list(program.milestones.order_by("start_month"))
    data["milestones-TOTAL_FORMS"] = data["milestones-INITIAL_FORMS"] = len(milestones)
    for i, milestone in enumerate(milestones):
        data[f"milestones-{i}-id"] = milestone.pk
        data[f"milestones-{i}-program"] = program.pk
        data[f"milestones-{i}-label"] = milestone.label
        data[f"milestones-{i}-start_month"] = milestone.start_month
        data[f"milestones-{i}-end_month"] = milestone.end_month
    links = list(program.contact_links.order_by("position"))
    data["contact_links-TOTAL_FORMS"] = data["contact_links-INITIAL_FORMS"] = len(links)
    for i, link in enumerate(links):
        data[f"contact_links-{i}-id"] = link.pk
        data[f"contact_links-{i}-program"] = program.pk
        data[f"contact_links-{i}-desk"] = link.desk_id
        data[f"contact_links-{i}-position"] = link.position
    data.update(overrides)
    return data
