from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from portal.fields import only_web_addresses, web_address
from portal.stamps import ContentStamp
from portal.text import compact
from programs.amounts import Amount, Per, describe
from schedules.kinds import Kind
from schedules.models import Milestone
from schedules.status import application_status, period_of, status_of


class PlanQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Plan.State.PUBLISHED)

    def shown(self, *, drafts: bool):
        """The plans a visitor may see: published ones, and drafts too for staff."""
        return self if drafts else self.published()

    def latest_year(self) -> int | None:
        return self.order_by("-year").values_list("year", flat=True).first()

    def bump_version(self) -> int:
        """Mark these plans changed, so pages cached under the old version are not served.
        Bulk writes (the importer) call this themselves; they fire no signals."""
        bumped = self.update(version=models.F("version") + 1, updated_at=timezone.now())
        PLAN_VERSIONS_STAMP.changed()
        return bumped


# Tells every process that plan versions changed, so each reads them again
# (see `programs.versions`, which reads them through it).
PLAN_VERSIONS_STAMP = ContentStamp("programs.plan-versions")


class Plan(models.Model):
    """One year's plan (사업연도): everything imported from that year's sheet.

    A draft year is seen only by logged-in staff until someone publishes it;
    every public list reads `Plan.objects.published()` or `Program.objects.public()`."""

    class State(models.TextChoices):
        DRAFT = "draft", "미공개 초안"
        PUBLISHED = "published", "공개"

    year = models.PositiveSmallIntegerField(
        "사업연도",
        primary_key=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="예: 2019. 한 연도에 계획은 하나입니다.",
    )
    title = models.CharField(
        "계획 제목",
        max_length=200,
        blank=True,
        help_text="계획표 맨 위 제목(예: 2019년 지원사업 추진일정). 가져오기가 채웁니다.",
    )
    source_name = models.CharField("가져온 파일", max_length=255, blank=True, editable=False)
    source_sha256 = models.CharField("파일 SHA-256", max_length=64, blank=True, editable=False)
    imported_at = models.DateTimeField("가져온 시각", null=True, blank=True, editable=False)
    # Raised by every change to the plan's programs; pages of this year are
    # cached under it, so a change shows up on the next request everywhere.
    version = models.PositiveBigIntegerField("내용 버전", default=1, editable=False)
    updated_at = models.DateTimeField("마지막 변경", auto_now=True)
    # Plans made by scripts (`import_programs` without --draft) and before drafts
    # existed are public; the admin upload and the rollover ask for a draft.
    state = models.CharField(
        "공개 상태", max_length=10, choices=State.choices, default=State.PUBLISHED
    )
    published_at = models.DateTimeField("공개한 시각", null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="공개한 사람",
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "연도별 계획"
        verbose_name_plural = "연도별 계획"
        ordering = ["-year"]
        permissions = [
            ("import_plan", "연간 계획 가져오기"),
            ("publish_plan", "연간 계획 공개"),
        ]

    def __str__(self):
        return f"{self.year}년"

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def publish(self, by=None) -> bool:
        """Make the year public; False when it already was."""
        if self.is_published:
            return False
        self._set_state(self.State.PUBLISHED, timezone.now(), by)
        return True

    def unpublish(self) -> bool:
        """Take the year back to a draft; False when it was one."""
        if not self.is_published:
            return False
        self._set_state(self.State.DRAFT, None, None)
        return True

    def _set_state(self, state, when, by) -> None:
        self.state, self.published_at, self.published_by = state, when, by
        with transaction.atomic():
            self.save(update_fields=["state", "published_at", "published_by", "updated_at"])
            # Every page lists the public years and defaults to the latest one.
            Plan.objects.all().bump_version()
        self.refresh_from_db(fields=["version", "updated_at"])


class SheetHeading(models.Model):
    """A heading row of the yearly sheet (a section or a support area) of one
    year's plan, kept in the order the sheet lists them."""

    position = models.PositiveIntegerField(
        "순서", default=0, help_text="계획표에서의 순서. 작은 수가 먼저 나옵니다."
    )

    class Meta:
        abstract = True
        ordering = ["plan", "position"]

    def __str__(self):
        return f"{self.plan_id} {self.name}"


class Section(SheetHeading):
    """The sheet's top-level heading: which center runs the programs under it."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sections", verbose_name="사업연도"
    )
    name = models.CharField(
        "구분",
        max_length=100,
        help_text="계획표의 큰 제목 줄 그대로(예: 서울시사회적경제지원센터 지원사업).",
    )

    class Meta(SheetHeading.Meta):
        verbose_name = "구분(운영 기관)"
        verbose_name_plural = "구분(운영 기관)"
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="section_unique_name_per_year"),
        ]

    @property
    def center(self) -> str:
        """ "협동조합 지원사업" -> "협동조합": the heading without its common suffix."""
        return self.name.removesuffix("지원사업").strip() or self.name


class SupportArea(SheetHeading):
    """지원분야: 공공구매 활성화, 민간판로 지원, 아카데미 … in sheet order."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="areas", verbose_name="사업연도"
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="areas", verbose_name="구분"
    )
    name = models.CharField(
        "지원분야", max_length=100, help_text="계획표의 지원분야 칸 그대로(예: 공공구매 활성화)."
    )

    class Meta(SheetHeading.Meta):
        verbose_name = "지원분야"
        verbose_name_plural = "지원분야"
        constraints = [
            # Programs are matched on (year, area name, program name) at import.
            models.UniqueConstraint(fields=["plan", "name"], name="area_unique_name_per_year"),
        ]


class Eligibility(models.Model):
    """A normalised eligibility tag (협동조합, 예비협동조합, 서울시민 …) for filtering."""

    code = models.SlugField("코드", max_length=50, unique=True, help_text="주소에 쓰는 영문 코드.")
    name = models.CharField(
        "이름", max_length=50, help_text="화면에 보이는 이름(예: 예비협동조합)."
    )
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "지원대상 유형"
        verbose_name_plural = "지원대상 유형"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class AmountColumns:
    """`program.budget` reads the budget_* columns as one `Amount`, and setting it
    writes them all, so no column can be updated without the others."""

    _COLUMNS = ("text", "won", "values", "is_max", "is_approx", "per", "quantity", "unit",
                "undecided")  # fmt: skip

    def __set_name__(self, owner, name):
        self.prefix = name

    def __get__(self, program, owner=None) -> Amount:
        if program is None:
            return self
        values = {name: getattr(program, f"{self.prefix}_{name}") for name in self._COLUMNS}
        values["values"] = tuple(values["values"] or ())
        return Amount(**values)

    def __set__(self, program, amount: Amount) -> None:
        for name in self._COLUMNS:
            value = getattr(amount, name)
            setattr(program, f"{self.prefix}_{name}", list(value) if name == "values" else value)


def amount_fields(label: str, examples: str) -> tuple[models.Field, ...]:
    """One amount cell of the sheet (지원규모, 업체평균): the text as staff wrote
    it, and what `programs.amounts.parse_amount` read from it (the fields of
    `Amount`, each as a column named `<prefix>_<field>`)."""
    return (
        models.CharField(
            f"{label}(원문)", max_length=100, blank=True, help_text=f"예: {examples}."
        ),
        models.PositiveBigIntegerField(
            f"{label}(원)",
            null=True,
            blank=True,
            help_text="원문에서 읽은 금액. 여러 금액이면 가장 큰 금액.",
        ),
        models.JSONField(f"{label} 금액 목록(원)", default=list, blank=True),
        models.BooleanField(f"{label}: 최대", default=False),
        models.BooleanField(f"{label}: 내외·약", default=False),
        models.CharField(f"{label}: 기준", max_length=10, choices=Per.choices, blank=True),
        models.PositiveIntegerField(f"{label}: 수량", null=True, blank=True),
        models.CharField(f"{label}: 수량 단위", max_length=10, blank=True),
        models.BooleanField(f"{label}: 미정", default=False),
    )


class ProgramQuerySet(models.QuerySet):
    def public(self):
        """Programs anyone may see: those of published plan years. A draft year
        is left out here, and with it from every public list built on this."""
        return self.filter(area__plan__state=Plan.State.PUBLISHED)

    def for_year(self, year: int):
        return self.filter(area__plan_id=year)

    def in_sheet_order(self):
        return self.order_by("area__section__position", "area__position", "position")

    def for_listing(self):
        """Everything a catalogue row, calendar row or export shows, in a fixed
        number of queries however many programs there are."""
        return self.select_related("area__section").prefetch_related(
            "eligibility",
            "milestones",
            models.Prefetch(
                "contact_links",
                queryset=ProgramContact.objects.select_related("desk").order_by("position"),
            ),
        )

    def with_milestone_in_month(self, month: int, kind: str | None = None):
        milestones = Milestone.objects.in_month(month)
        if kind:
            milestones = milestones.filter(kind=kind)
        return self.filter(pk__in=milestones.values("program_id"))

    def refresh_search_text(self, *, bump: bool = True) -> int:
        """Recompute the stored search text of these programs from what feeds it
        (name, area, target, milestone labels, contact desks), in a fixed number
        of queries; write only what changed, and (unless the caller's own save
        bumps them) bump those years' versions."""
        changed = []
        programs = self.select_related("area").prefetch_related("milestones", "contact_links__desk")
        for program in programs:
            text = program.compose_search_text(
                [m.label for m in program.milestones.all()],
                [link.desk.name for link in program.contact_links.all()],
            )
            if text != program.search_text:
                program.search_text = text
                changed.append(program)
        Program.objects.bulk_update(changed, ["search_text"], batch_size=500)
        if bump and changed:
            # bulk_update sends no signal; search results are cached pages too.
            Plan.objects.filter(areas__programs__in=changed).distinct().bump_version()
        return len(changed)

    def with_status(self, statuses, today):
        """Programs whose application status today is one of `statuses`
        (schedules.status.Status values). The rule runs in Python, on one query
        of the application milestones, so it is the same rule the pages show."""
        periods: dict[int, list] = {}
        rows = (
            Milestone.objects.filter(kind=Kind.APPLICATION)
            .filter(program__in=self.order_by().values("pk"))
            .order_by()
            .values_list("program_id", "program__area__plan_id", "start_month", "end_month",
                         "start_date", "end_date")
        )  # fmt: skip
        for program_id, year, *when in rows:
            periods.setdefault(program_id, []).append(period_of(year, *when))
        wanted = set(statuses)
        matching = [
            program_id
            for program_id, found in periods.items()
            if (status := status_of(sorted(found, key=lambda p: (p.start, p.end)), today))
            and status.status in wanted
        ]
        return self.filter(pk__in=matching)

    def search(self, query: str):
        """Substring search that ignores spacing: "성과 공유회" finds "성과공유회"."""
        needle = compact(query)
        if not needle:
            return self
        return self.filter(search_text__contains=needle)


class Program(models.Model):
    """사업: one row of the yearly plan."""

    area = models.ForeignKey(
        SupportArea, on_delete=models.PROTECT, related_name="programs", verbose_name="지원분야"
    )
    name = models.CharField("사업명", max_length=200, help_text="계획표의 사업명 그대로.")
    position = models.PositiveIntegerField(
        "계획표 순서",
        default=0,
        help_text="계획표에서 이 사업이 놓인 줄의 순서. 가져오기가 채웁니다.",
    )
    target = models.TextField(
        "지원대상",
        blank=True,
        help_text="계획표의 지원대상 칸 그대로(예: 서울시민, (예비)협동조합).",
    )
    eligibility = models.ManyToManyField(
        Eligibility,
        blank=True,
        related_name="programs",
        verbose_name="지원대상 유형",
        help_text="검색 필터에 쓰입니다. 가져오기가 지원대상 글에서 다시 정합니다.",
    )

    budget = AmountColumns()
    per_company = AmountColumns()
    (
        budget_text,
        budget_won,
        budget_values,
        budget_is_max,
        budget_is_approx,
        budget_per,
        budget_quantity,
        budget_unit,
        budget_undecided,
    ) = amount_fields("지원규모", "4.5천만원, 6억원/7개 내외, 미정")
    (
        per_company_text,
        per_company_won,
        per_company_values,
        per_company_is_max,
        per_company_is_approx,
        per_company_per,
        per_company_quantity,
        per_company_unit,
        per_company_undecided,
    ) = amount_fields("업체평균", "최대 7천만원, 인당 최대 300만원")

    # Off for programs copied from last year's plan (`rollover_plan`) until a
    # sheet or an editor states this year's amounts.
    amounts_confirmed = models.BooleanField(
        "금액 확정",
        default=True,
        help_text="지난해 계획에서 이어받은 사업은 지원규모·업체평균을 확인할 때까지 "
        "꺼져 있습니다. 계획표를 가져오면 켜집니다.",
    )

    contacts = models.ManyToManyField(
        "contacts.ContactDesk",
        through="ProgramContact",
        blank=True,
        related_name="programs",
        verbose_name="문의처",
    )

    summary = models.TextField(
        "사업 소개",
        blank=True,
        help_text="시민에게 보여 줄 짧은 소개. 직접 쓰는 칸이라 가져오기가 덮어쓰지 않습니다.",
    )
    link = web_address(
        "안내 링크", "공고문이나 신청 페이지 주소(https://…). 가져오기가 덮어쓰지 않습니다."
    )

    # Name, area, target, milestone labels and contact names without spaces,
    # so one indexed column answers the catalogue's text search.
    search_text = models.TextField("검색용 글", blank=True, editable=False)

    created_at = models.DateTimeField("만든 시각", auto_now_add=True)
    updated_at = models.DateTimeField("고친 시각", auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = "지원사업"
        verbose_name_plural = "지원사업"
        ordering = ["area__plan", "area__section__position", "area__position", "position"]
        constraints = [
            # One program per (year, area, name): the area belongs to one year,
            # so (area, name) is that key, and the importer upserts on it.
            models.UniqueConstraint(fields=["area", "name"], name="program_unique_name_per_area"),
            only_web_addresses("link", name="program_link_is_web_address"),
        ]
        indexes = [
            # Catalogue filters "업체평균 ≥ X" and the sort by amount.
            models.Index(fields=["per_company_won"], name="program_per_company_won"),
            models.Index(fields=["budget_won"], name="program_budget_won"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:detail", args=[self.pk])

    @property
    def year(self) -> int:
        return self.area.plan_id

    @property
    def budget_display(self) -> str:
        return describe(self.budget) if self.budget_text else ""

    @property
    def per_company_display(self) -> str:
        return describe(self.per_company) if self.per_company_text else ""

    @cached_property
    def application_status(self):
        """Open, upcoming or closed today in Seoul (schedules.status), from the
        prefetched milestones; None without application milestones."""
        return application_status(self.milestones.all(), self.area.plan_id)

    def compose_search_text(self, milestone_labels, contact_names) -> str:
        parts = (self.name, self.area.name, self.target, *milestone_labels, *contact_names)
        return compact(" ".join(part for part in parts if part))

    def refresh_search_text(self) -> None:
        """Recompute search_text from the saved area, milestones and desks."""
        Program.objects.filter(pk=self.pk).refresh_search_text()
        self.refresh_from_db(fields=["search_text"])


class ProgramContact(models.Model):
    """A program's contact desk, in the order the sheet lists them."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="contact_links")
    desk = models.ForeignKey(
        "contacts.ContactDesk",
        on_delete=models.PROTECT,
        related_name="program_links",
        verbose_name="문의처",
        help_text="이름이나 전화번호로 찾으세요. 없으면 + 를 눌러 새로 만드세요.",
    )
    position = models.PositiveSmallIntegerField("순서", default=0)

    class Meta:
        verbose_name = "사업 문의처"
        verbose_name_plural = "사업 문의처"
        ordering = ["program", "position"]
        constraints = [
            models.UniqueConstraint(fields=["program", "desk"], name="program_contact_unique"),
        ]

    def __str__(self):
        return f"{self.program} — {self.desk}"
