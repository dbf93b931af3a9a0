"""Fixtures for history: a program made in one recorded change."""

import pytest

from history.context import scope
from programs.amounts import parse_amount


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
