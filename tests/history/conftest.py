"""Fixtures for history: a program made in one recorded change."""

import pytest

from history.context import scope
from tests.support.sample_programs import market_entry


@pytest.fixture
def sample(make_program):
    # Made as one change, as the admin's add form or an import would make it.
    with scope("처음 입력"):
        return market_entry(
            make_program,
            [("공고/접수", 3, 3), ("선정/협약", 4, 4)],
            section="협동조합 지원사업",
            budget_text="1.24억원",
            per_company_text="최대 7천만원",
            summary="판로 개척을 돕습니다.",
        )
