import datetime

import pytest

from schedules.kinds import Kind, classify, exact_dates, stated_month_span


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("공고/접수", Kind.APPLICATION),
        ("공고/접수/선정", Kind.APPLICATION),
        ("참여기업 공고/선정", Kind.APPLICATION),
        ("입점모집 (1차)", Kind.APPLICATION),
        ("기간내 수시접수/진행", Kind.APPLICATION),
        ("수행기관 공고/접수 (사전진단 평가)", Kind.APPLICATION),
        ("선정/협약", Kind.SELECTION),
        ("심사/협약", Kind.SELECTION),
        ("수행기관 선정 (18년 12월)", Kind.SELECTION),
        ("협약/계약", Kind.AGREEMENT),
        ("사업비 지급", Kind.PAYMENT),
        ("사업수행(4~11월)", Kind.RUNNING),
        ("수시 진행", Kind.RUNNING),
        ("상담회 (2.27-28)", Kind.EDUCATION),
        ("정기 간담회", Kind.EDUCATION),
        ("1차 교육", Kind.EDUCATION),
        ("중간결과 보고", Kind.REPORT),
        ("중간 평가회", Kind.REPORT),
        ("중간보고/2차 사업비 교부", Kind.REPORT),
        ("성과공유회", Kind.RESULTS),
        ("성과 공유회", Kind.RESULTS),
        ("수요파악", Kind.OTHER),
        ("", Kind.OTHER),
    ],
)
def test_it_classifies_milestone_labels(label, kind):
    assert classify(label) == kind


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("상담회 (2.27-28)", datetime.date(2019, 2, 27), datetime.date(2019, 2, 28)),
        ("사전설명회 (2.11)", datetime.date(2019, 2, 11), datetime.date(2019, 2, 11)),
        ("접수 3.28~4.5", datetime.date(2019, 3, 28), datetime.date(2019, 4, 5)),
        ("공고/접수", None, None),
        ("수행기관 선정 (18년 12월)", None, None),
        ("잘못된 날짜 (2.30)", None, None),
        ("거꾸로 (3.10-2)", None, None),
        ("4.5천만원 지급", None, None),
    ],
)
def test_it_reads_exact_dates_in_the_plan_year(label, start, end):
    assert exact_dates(label, 2019) == (start, end)


def test_it_reads_the_months_a_label_states():
    assert stated_month_span("사업수행(4~11월)") == (4, 11)
    assert stated_month_span("참여기업 모집 (~8월)") == (None, 8)
    assert stated_month_span("공고/접수") is None
