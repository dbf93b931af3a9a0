from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from portal.text import normalise
from schedules.kinds import SYMBOLS, Kind, classify, exact_dates
from schedules.labels import month_span

MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


class MilestoneQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(program__area__plan_id=year)

    def in_month(self, month: int):
        """Milestones that start, run through or end in that month."""
        return self.filter(start_month__lte=month, end_month__gte=month)


class Milestone(models.Model):
    """One entry of a program's 12-month plan: a month cell of the yearly sheet,
    or several merged month cells when it spans months."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="milestones", verbose_name="사업"
    )
    label = models.CharField(
        "일정 내용",
        max_length=200,
        help_text=(
            "계획표 칸에 적힌 그대로 적으세요(예: 공고/접수, 선정/협약, 상담회 (2.27-28)). "
            "종류와 날짜는 이 글에서 자동으로 정해집니다."
        ),
    )
    start_month = models.PositiveSmallIntegerField(
        "시작 월", validators=MONTH_VALIDATORS, help_text="1~12 사이의 월."
    )
    end_month = models.PositiveSmallIntegerField(
        "끝 월",
        validators=MONTH_VALIDATORS,
        help_text="한 달짜리 일정이면 시작 월과 같게 적으세요. 여러 달에 걸치면 마지막 월.",
    )
    kind = models.CharField(
        "종류", max_length=20, choices=Kind.choices, default=Kind.OTHER, editable=False
    )
    start_date = models.DateField("시작일", null=True, blank=True, editable=False)
    end_date = models.DateField("종료일", null=True, blank=True, editable=False)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = "추진일정"
        verbose_name_plural = "추진일정"
        ordering = ["program", "start_month", "end_month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_month__gte=1, start_month__lte=12),
                name="milestone_start_month_1_12",
            ),
            models.CheckConstraint(
                condition=models.Q(end_month__gte=1, end_month__lte=12),
                name="milestone_end_month_1_12",
            ),
            models.CheckConstraint(
                condition=models.Q(start_month__lte=models.F("end_month")),
                name="milestone_months_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(start_date__lte=models.F("end_date")),
                name="milestone_dates_in_order",
            ),
            # A month cell of the sheet holds one milestone, so export can lay
            # every program back into its row.
            models.UniqueConstraint(
                fields=["program", "start_month"], name="milestone_one_per_start_month"
            ),
        ]
        indexes = [
            # Calendar and "open for application in <month>": kind + month range.
            models.Index(fields=["kind", "start_month", "end_month"], name="milestone_kind_months"),
        ]

    def __str__(self):
        return f"{self.months_display} {self.label}"

    def save(self, *args, **kwargs):
        self.derive_from_label(self.program.area.plan_id)
        super().save(*args, **kwargs)

    @property
    def months_display(self) -> str:
        return month_span(self.start_month, self.end_month)

    @property
    def symbol(self) -> str:
        return SYMBOLS[Kind(self.kind)]

    @property
    def span(self) -> int:
        return self.end_month - self.start_month + 1

    def covers(self, month: int) -> bool:
        return self.start_month <= month <= self.end_month

    def clean(self):
        if self.start_month and self.end_month and self.start_month > self.end_month:
            raise ValidationError({"end_month": "끝 월은 시작 월과 같거나 뒤여야 합니다."})

    def derive_from_label(self, year: int) -> None:
        """Set kind and exact dates from the label; dates fall in the plan's year."""
        self.label = normalise(self.label)
        self.kind = classify(self.label)
        self.start_date, self.end_date = exact_dates(self.label, year)
