"""The shipped 2019 plan (fixtures/plan-2019.xlsx) against its seed, the text
extracted from the plan's PDF (fixtures/plan-2019-seed.txt)."""

import datetime
import importlib.util
import io
import re

import pytest
from django.core.management import call_command

from contacts.phones import display_phone
from programs.models import Plan, Program, Section, SupportArea
from schedules.models import Milestone
from tests.support.paths import FIXTURES, PLAN_2019_SEED

SEED = (PLAN_2019_SEED).read_text(encoding="utf-8")
COMPACT_SEED = re.sub(r"\s+", "", SEED)

AREAS = {
    "서울시사회적경제지원센터 지원사업": {
        "공공구매 활성화": 3,
        "민간판로 지원": 3,
        "경영지원": 2,
        "전략사업": 2,
        "자치구 생태계": 2,
        "마을기업 발굴/육성": 5,
        "공동작업장/공유자원": 3,
        "협력네트워크": 1,
        "아카데미": 5,
        "해외연수": 2,
        "연구지원": 2,
    },
    "협동조합 지원사업": {
        "상담": 1,
        "교육지원": 6,
        "컨설팅": 3,
        "사업비지원": 3,
        "정책기획": 1,
    },
}


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def program(name: str) -> Program:
    return Program.objects.for_listing().get(name=name)


def milestones(program: Program) -> list[tuple[str, int, int]]:
    return [(m.label, m.start_month, m.end_month) for m in program.milestones.all()]


def desks(program: Program) -> list[tuple[str, str, str, str]]:
    return [
        (link.desk.organization, link.desk.team, link.desk.phone_display, link.desk.url)
        for link in program.contact_links.all()
    ]


def test_the_shipped_sheet_is_exactly_what_the_build_script_writes(tmp_path):
    """fixtures/plan-2019.xlsx and the data in fixtures/build_plan_2019.py agree."""
    fixtures = FIXTURES
    spec = importlib.util.spec_from_file_location(
        "build_plan_2019", fixtures / "build_plan_2019.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path / "plan-2019.xlsx")
    assert built.read_bytes() == (fixtures / "plan-2019.xlsx").read_bytes()


def test_the_plan_has_the_seeds_two_sections_and_sixteen_areas_in_order(plan_2019):
    assert plan_2019.year == 2019
    assert plan_2019.title == "2019년 지원사업 추진일정"
    assert list(Section.objects.values_list("name", flat=True)) == list(AREAS)
    for section, areas in AREAS.items():
        assert list(
            SupportArea.objects.filter(section__name=section)
            .order_by("position")
            .values_list("name", flat=True)
        ) == list(areas)


def test_each_area_has_as_many_programs_as_the_seed(plan_2019):
    counts = {
        area.name: area.programs.count()
        for area in SupportArea.objects.prefetch_related("programs")
    }
    assert counts == {area: n for areas in AREAS.values() for area, n in areas.items()}
    assert Program.objects.count() == 44


def test_every_name_target_amount_and_label_is_written_in_the_seed(plan_2019):
    """Nothing invented: each text in the database occurs in the seed (spacing aside)."""
    texts = []
    for item in Program.objects.for_listing():
        texts += [item.name, item.area.name, item.target, item.budget_text, item.per_company_text]
        texts += [m.label for m in item.milestones.all()]
        texts += [link.desk.name for link in item.contact_links.all()]
    not_in_seed = {text for text in texts if compact(text) not in COMPACT_SEED}
    assert not_in_seed == set()


def test_every_phone_number_of_the_seed_has_a_desk(plan_2019):
    seed_phones = set(re.findall(r"\b(?:0\d{1,2}-\d{3,4}-\d{4}|1\d{3}-\d{4})\b", SEED))
    imported = {
        display_phone(phone)
        for phone in Program.objects.values_list("contact_links__desk__phone", flat=True)
        if phone
    }
    assert seed_phones == imported
    assert len(seed_phones) == 17


def test_a_private_channel_program_reads_as_the_seed_row(plan_2019):
    item = program("유통채널 입점지원")
    assert item.area.name == "민간판로 지원"
    assert item.target == "서울시 사회적경제기업"
    assert (item.budget_text, item.budget_won) == ("1.24억원", 124_000_000)
    assert (item.per_company_text, item.per_company_won, item.per_company_is_max) == (
        "최대 7천만원",
        70_000_000,
        True,
    )
    assert desks(item) == [("", "판로지원팀", "070-4267-5038", "")]
    assert [label for label, _, _ in milestones(item)] == [
        "공고/접수", "선정/협약", "사업비 지급", "수시 진행", "정기 간담회",
        "중간결과 보고", "정기 간담회", "최종결과 보고", "성과공유회",
    ]  # fmt: skip
    assert [m.kind for m in item.milestones.all()][-3:] == ["education", "report", "results"]
    assert [tag.code for tag in item.eligibility.all()] == ["social-economy-enterprise"]


def test_the_dated_fair_keeps_its_dates_in_february(plan_2019):
    item = program("공공구매 상담회")
    fair = item.milestones.get(start_month=2)
    assert fair.label == "사전설명회 (2.11) 상담회 (2.27-28)"
    assert fair.start_date == datetime.date(2019, 2, 11)
    assert desks(item) == [("", "공공구매영업지원단", "070-4270-3942", "")]


def test_a_program_with_two_desks_lists_both_in_order(plan_2019):
    assert desks(program("공공구매 영업지원(교육/상담 등)")) == [
        ("", "판로지원팀", "070-4267-5044", ""),
        ("", "공공구매영업지원단", "070-4270-3942", ""),
    ]


def test_a_consortium_budget_reads_as_about_six_hundred_million_for_seven(plan_2019):
    item = program("전략모델 협업사업화 지원")
    assert item.target == "서울시 사회적경제 조직 3곳 이상 포함한 컨소시움"
    budget = item.budget
    assert (budget.won, budget.is_approx, budget.quantity, budget.unit) == (
        600_000_000,
        True,
        7,
        "개",
    )
    assert item.per_company_won == 80_000_000
    assert desks(item) == [("", "기획전략실", "070-4905-4691", "")]


def test_the_village_enterprise_grant_keeps_every_amount(plan_2019):
    item = program("행안부 마을기업 설립지원")
    assert item.budget_values == [10_000_000, 50_000_000, 30_000_000, 20_000_000]
    assert item.budget_won == 50_000_000
    assert item.target == "마을기업 지정을 희망하는 법인"
    assert len(milestones(item)) == 11


def test_the_cooperative_hotline_has_its_number_center_and_site(plan_2019):
    item = program("전화/내방/맞춤형/기획상담")
    assert desks(item) == [("서울시협동조합지원센터", "", "1544-5077", "https://seoulcoop.net")]
    assert milestones(item) == [("수시", 1, 12)]
    assert {tag.code for tag in item.eligibility.all()} == {
        "citizen",
        "cooperative",
        "pre-cooperative",
    }


def test_a_desk_of_another_organisation_keeps_organisation_and_team(plan_2019):
    item = program("찾아가는 (사회적)협동조합 교육")
    assert desks(item) == [("신나는조합", "협동조합팀", "070-4870-5086", "")]
    assert milestones(item)[-1] == ("교육진행(1~12월 수시신청, 예산 소진시까지)", 2, 12)


def test_startup_consulting_keeps_its_stated_months_with_the_second_call_overlapping(plan_2019):
    item = program("창업컨설팅")
    assert milestones(item) == [
        ("공고/접수/선정", 3, 3),
        ("사업수행(4~6월)", 4, 6),
        ("공고/접수/선정", 6, 6),
        ("사업수행(7~11월)", 7, 11),
    ]
    assert (item.budget_quantity, item.budget_unit) == (24, "개")


def test_study_meetings_fall_in_the_months_the_seed_names(plan_2019):
    item = program("제도개선")
    by_label: dict[str, list[int]] = {}
    for label, start, _ in milestones(item):
        by_label.setdefault(label, []).append(start)
    assert by_label == {"공고/접수": [2], "열린 학습회": [3, 5, 7, 9], "제도개선 토론회": [4, 10]}


def test_an_overseas_training_pays_up_to_three_million_per_person(plan_2019):
    item = program("전략기획 연수")
    per = item.per_company
    assert (per.per, per.is_max, per.won) == ("person", True, 3_000_000)
    assert item.budget_won == 87_000_000


def test_every_program_can_be_found_by_its_milestones_and_desk(plan_2019):
    assert list(Program.objects.search("성과 공유회").values_list("name", flat=True))
    assert Program.objects.search("판로지원팀").count() == 4
    assert Program.objects.filter(search_text="").count() == 0


@pytest.mark.parametrize(
    "name", ["자치구 공공구매 영업지원", "설립교육", "마을기업 밀착형 코칭서비스"]
)
def test_programs_the_seed_gives_no_months_for_have_no_milestones(plan_2019, name):
    assert not Milestone.objects.filter(program__name=name).exists()


def test_importing_the_shipped_sheet_again_changes_nothing(
    plan_2019, django_assert_max_num_queries
):
    version = Plan.objects.get(year=2019).version
    out = io.StringIO()
    with django_assert_max_num_queries(15):
        call_command("import_programs", "fixtures/plan-2019.xlsx", stdout=out)
    assert "2019년: 0 created, 0 updated, 44 unchanged, 0 missing" in out.getvalue()
    assert Plan.objects.get(year=2019).version == version
