"""Changes made in bulk outside an import (rollover, publishing) are recorded too."""

from history.models import HistoricalMilestone, HistoricalPlan, HistoricalProgram
from history.models import HistoricalProgramEligibility as HistoricalTags
from programs.models import Plan, Program
from programs.rollover import rollover


def test_a_rollover_is_one_recorded_change_with_every_copied_row(sample):
    rollover(2019, 2020)
    copy = Program.objects.get(area__plan_id=2020, name="유통채널 입점지원")
    rows = HistoricalProgram.objects.filter(id=copy.pk)
    [created] = rows
    assert created.history_type == "+"
    assert created.history_change_reason == "2019년 계획을 2020년으로 복사"
    assert created.summary == "판로 개척을 돕습니다."
    milestones = HistoricalMilestone.objects.filter(program_id=copy.pk)
    assert milestones.count() == 2
    assert {row.change_set for row in milestones} == {created.change_set}
    assert HistoricalTags.objects.filter(program_id=copy.pk).count() == 1


def test_a_rollover_that_replaces_a_year_records_what_it_deleted(sample, make_program):
    make_program("지난 사업", year=2020, area="교육")
    gone = Program.objects.get(name="지난 사업")
    rollover(2019, 2020, replace=True)
    [deleted] = HistoricalProgram.objects.filter(id=gone.pk, history_type="-")
    assert deleted.history_change_reason == "2019년 계획을 2020년으로 복사"


def test_publishing_and_unpublishing_a_year_are_recorded(sample):
    plan = Plan.objects.get(year=2019)
    plan.unpublish()
    plan.publish()
    states = list(HistoricalPlan.objects.filter(year=2019).values_list("state", flat=True))
    assert states[:2] == ["published", "draft"]  # newest first
