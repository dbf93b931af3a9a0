"""The catalogue's filters, shared by every page that lists programs.

The catalogue, the calendar and the open-data exports read the same URL
parameters, so a filtered catalogue link works on the calendar and as an export:

    year         사업연도 (default: the latest published plan; drafts only for staff)
    section      구분 name          area     지원분야 name (names survive a year switch)
    eligibility  Eligibility.code, may repeat (any of them)
    month        1–12: any milestone in that month
    kind         schedules.kinds.Kind: with month "that kind in that month", alone "has that kind"
    status       open | upcoming | closed, may repeat: applications today (schedules.status)
    amount_min / amount_max   업체평균 in won ("10000000", "1천만원", "1,000만")
    budget_min / budget_max   지원규모 in won
    contact      a contact desk's team (or organisation when it has no team)
    q            text search, spacing-insensitive
    sort         sheet (default) | name | amount | application
    page         catalogue page number (read by the views, not here)

A value that cannot be used never fails the page: the filter is left out and
`ProgramSearch.messages` says which parameter and why, in Korean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Q, Subquery
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property

from contacts.models import ContactDesk
from programs.amounts import AmountError, AmountTooLarge, format_won, korean_number_to_won
from programs.models import Eligibility, Plan, Program, ProgramContact, Section, SupportArea
from schedules.kinds import Kind
from schedules.models import Milestone
from schedules.status import Status

# Parameters this module understands, in the order links write them.
FILTER_PARAMS = (
    "year",
    "section",
    "area",
    "eligibility",
    "month",
    "kind",
    "status",
    "amount_min",
    "amount_max",
    "budget_min",
    "budget_max",
    "contact",
    "q",
    "sort",
)
PAGE_PARAM = "page"
PAGE_SIZE = 20
# Far above any program's money, far below what a database integer holds.
MAX_WON = 10**15
MAX_QUERY_LENGTH = 100

MONTH_CHOICES = [(str(month), f"{month}월") for month in range(1, 13)]


class Sort:
    SHEET = "sheet"
    NAME = "name"
    AMOUNT = "amount"
    APPLICATION = "application"

    choices = [
        (SHEET, "계획표 순서"),
        (NAME, "사업명 가나다순"),
        (AMOUNT, "업체당 금액 많은 순"),
        (APPLICATION, "다음 접수 월 빠른 순"),
    ]


# What each parameter is called on screen, for chips and messages.
PARAM_LABELS = {
    "year": "사업연도",
    "section": "구분",
    "area": "지원분야",
    "eligibility": "지원대상",
    "month": "월",
    "kind": "일정 종류",
    "status": "접수 상태",
    "amount_min": "업체당 금액 하한",
    "amount_max": "업체당 금액 상한",
    "budget_min": "사업 전체 규모 하한",
    "budget_max": "사업 전체 규모 상한",
    "contact": "문의처",
    "q": "검색어",
    "sort": "정렬",
    "page": "쪽 번호",
}


class WonField(forms.CharField):
    """An amount in won, typed as digits or the way the plan writes it."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            won = korean_number_to_won(text)
        except AmountTooLarge:
            raise ValidationError("amount", code="too_large") from None
        except AmountError:
            raise ValidationError("amount", code="invalid") from None
        if won > MAX_WON:
            raise ValidationError("amount", code="too_large")
        return won


class WonFilter(django_filters.Filter):
    field_class = WonField


def _shown(value: str, limit: int = 30) -> str:
    """A user's value, safe to quote back in a message: no control characters, short."""
    text = "".join(char if char.isprintable() else "�" for char in value)
    return text if len(text) <= limit else text[:limit] + "…"


class ProgramFilter(django_filters.FilterSet):
    """Filters over one year's programs. Choices (sections, areas, desks) are
    that year's; the year itself comes from `year` or is the latest plan."""

    year = django_filters.ChoiceFilter(label="사업연도", empty_label=None, method="filter_nothing")
    section = django_filters.ChoiceFilter(
        label="구분", field_name="area__section__name", empty_label="전체"
    )
    area = django_filters.ChoiceFilter(
        label="지원분야", field_name="area__name", empty_label="전체"
    )
    eligibility = django_filters.MultipleChoiceFilter(
        label="지원대상", method="filter_eligibility", widget=forms.CheckboxSelectMultiple
    )
    month = django_filters.ChoiceFilter(
        label="월", choices=MONTH_CHOICES, empty_label="전체", method="filter_nothing"
    )
    kind = django_filters.ChoiceFilter(
        label="일정 종류", choices=Kind.choices, empty_label="전체", method="filter_nothing"
    )
    status = django_filters.MultipleChoiceFilter(
        label="접수 상태",
        choices=Status.choices,
        method="filter_status",
        widget=forms.CheckboxSelectMultiple,
    )
    amount_min = WonFilter(
        label="업체당 금액 하한", field_name="per_company_won", lookup_expr="gte"
    )
    amount_max = WonFilter(
        label="업체당 금액 상한", field_name="per_company_won", lookup_expr="lte"
    )
    budget_min = WonFilter(label="사업 전체 규모 하한", field_name="budget_won", lookup_expr="gte")
    budget_max = WonFilter(label="사업 전체 규모 상한", field_name="budget_won", lookup_expr="lte")
    contact = django_filters.ChoiceFilter(
        label="문의처", empty_label="전체", method="filter_contact"
    )
    q = django_filters.CharFilter(
        label="검색어", method="filter_search", max_length=MAX_QUERY_LENGTH
    )
    sort = django_filters.ChoiceFilter(
        label="정렬", choices=Sort.choices, empty_label=None, method="filter_nothing"
    )

    class Meta:
        model = Program
        fields = []

    def __init__(self, data=None, *, year=None, today=None, drafts=False, **kwargs):
        data = _without_page(data)
        self.today = today or timezone.localdate()
        plans = list(
            Plan.objects.shown(drafts=drafts).order_by("-year").values_list("year", "state")
        )
        self.years = [plan_year for plan_year, _ in plans]
        self.draft_years = {y for y, state in plans if state == Plan.State.DRAFT}
        self.year = year if year in self.years else self._year_from(data)
        self.rejected: list[tuple[str, str]] = []
        data = self._drop_unknown_eligibility(data)
        programs = Program.objects.for_year(self.year) if self.year else Program.objects.none()
        super().__init__(data, queryset=programs.in_sheet_order(), **kwargs)

    def get_form_class(self):
        # Callables: a choice list is read from the database only when a value
        # is checked against it or the field is drawn, so a page that only
        # picks the year (home) does not pay for the others.
        choices = {
            "year": lambda: [(str(y), self._year_label(y)) for y in self.years],
            "section": lambda: [(name, name) for name in self.section_names],
            "area": lambda: [(n, n) for _, names in self.area_groups for n in names],
            "eligibility": lambda: self.eligibility_choices,
            "contact": lambda: [(name, name) for name in self.contact_names],
        }
        for name, values in choices.items():
            self.filters[name].extra["choices"] = values
        return super().get_form_class()

    # -- choices ---------------------------------------------------------------
    def _year_from(self, data) -> int | None:
        raw = data.get("year") if data is not None else None
        if raw and len(raw) <= 4 and raw.isascii() and raw.isdigit() and int(raw) in self.years:
            return int(raw)
        # Staff, who also see drafts, start where the public does.
        published = [y for y in self.years if y not in self.draft_years]
        return (published or self.years or [None])[0]

    def _year_label(self, year: int) -> str:
        return f"{year}년 (미공개 초안)" if year in self.draft_years else f"{year}년"

    @cached_property
    def section_names(self) -> list[str]:
        return list(Section.objects.filter(plan_id=self.year).values_list("name", flat=True))

    @cached_property
    def area_groups(self) -> list[tuple[str, list[str]]]:
        """The year's areas under their section, in sheet order (the area select)."""
        rows = (
            SupportArea.objects.filter(plan_id=self.year)
            .order_by("section__position", "position")
            .values_list("section__name", "name")
        )
        groups: dict[str, list[str]] = {}
        for section, area in rows:
            groups.setdefault(section, []).append(area)
        return list(groups.items())

    @cached_property
    def eligibility_choices(self) -> list[tuple[str, str]]:
        return list(Eligibility.objects.values_list("code", "name"))

    @cached_property
    def contact_names(self) -> list[str]:
        desks = ContactDesk.objects.for_year(self.year).values_list("team", "organization")
        return sorted(
            {team or organization for team, organization in desks if team or organization}
        )

    def _drop_unknown_eligibility(self, data):
        """Keep the eligibility codes we know; one stray code must not drop the others."""
        if data is None or "eligibility" not in data:
            return data
        known = {code for code, _ in self.eligibility_choices}
        values = data.getlist("eligibility")
        kept = [value for value in values if value in known]
        self.rejected += [("eligibility", v) for v in values if v and v not in known]
        if kept == values:
            return data
        data = data.copy()
        data.setlist("eligibility", kept)
        return data

    # -- filtering -------------------------------------------------------------
    def filter_nothing(self, queryset, name, value):
        # year picks the base queryset; month, kind and sort act together below.
        return queryset

    def filter_eligibility(self, queryset, name, codes):
        links = Program.eligibility.through.objects.filter(eligibility__code__in=codes)
        return queryset.filter(pk__in=links.values("program_id"))

    def filter_status(self, queryset, name, statuses):
        return queryset.with_status(statuses, self.today)

    def filter_contact(self, queryset, name, value):
        desks = Q(desk__team=value) | Q(desk__team="", desk__organization=value)
        return queryset.filter(pk__in=ProgramContact.objects.filter(desks).values("program_id"))

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_queryset(self, queryset, cleaned=None):
        cleaned = self.form.cleaned_data if cleaned is None else cleaned
        for name, value in cleaned.items():
            queryset = self.filters[name].filter(queryset, value)
        month, kind = cleaned.get("month"), cleaned.get("kind")
        if month:
            queryset = queryset.with_milestone_in_month(int(month), kind or None)
        elif kind:
            queryset = queryset.filter(pk__in=Milestone.objects.filter(kind=kind).values("program"))
        return self.sorted(queryset, cleaned.get("sort") or Sort.SHEET)

    @property
    def reference_month(self) -> int:
        """The month "next application" counts from: today in the current year,
        otherwise the start of the plan's year."""
        return self.today.month if self.year == self.today.year else 1

    def sorted(self, queryset, sort: str):
        sheet = ("area__section__position", "area__position", "position")
        if sort == Sort.NAME:
            return queryset.order_by("name", *sheet)
        if sort == Sort.AMOUNT:
            return queryset.order_by(
                F("per_company_won").desc(nulls_last=True),
                F("budget_won").desc(nulls_last=True),
                *sheet,
            )
        if sort == Sort.APPLICATION:
            upcoming = Milestone.objects.filter(
                program=OuterRef("pk"), kind=Kind.APPLICATION, end_month__gte=self.reference_month
            ).order_by("start_month")
            return queryset.annotate(
                next_application_month=Subquery(upcoming.values("start_month")[:1])
            ).order_by(F("next_application_month").asc(nulls_last=True), *sheet)
        return queryset.order_by(*sheet)

    # -- what the form said ------------------------------------------------------
    def cleaned(self) -> dict:
        """The values that were understood (invalid ones are left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", [])
        }

    def messages(self) -> list[str]:
        """One Korean sentence per parameter we could not use, naming it."""
        if not self.is_bound:
            return []
        self.is_valid()
        found = [(name, self.data.get(name, "")) for name in self.form.errors] + self.rejected
        return [self._message(name, value) for name, value in found]

    def _message(self, name: str, value: str) -> str:
        label = PARAM_LABELS.get(name, name)
        shown = _shown(value)
        if name == "year":
            fallback = f"{self.year}년 계획을 보여 드립니다." if self.year else ""
            return f"{label}({name}): ‘{shown}’년 계획은 없습니다. {fallback}".strip()
        reasons = {
            "section": f"{self.year}년 계획에 없는 구분입니다",
            "area": f"{self.year}년 계획에 없는 지원분야입니다",
            "eligibility": "알 수 없는 지원대상 코드입니다",
            "month": "1~12 사이의 월이 아닙니다",
            "kind": "알 수 없는 일정 종류입니다",
            "status": "접수중(open), 접수 예정(upcoming), 마감(closed) 중 하나가 아닙니다",
            "contact": f"{self.year}년 계획에 없는 문의처입니다",
            "q": f"검색어는 {MAX_QUERY_LENGTH}자 이내의 글이어야 합니다",
            "sort": "알 수 없는 정렬 방식입니다",
        }
        reason = reasons.get(name, "금액으로 읽을 수 없습니다(예: 10000000, 1천만원)")
        error = self.form.errors.get(name)
        code = error.as_data()[0].code if error else ""
        if code == "too_large":
            reason = f"금액이 너무 큽니다(최대 {format_won(MAX_WON)})"
        elif code == "null_characters_not_allowed":
            reason = "쓸 수 없는 제어 문자가 들어 있습니다"
        return f"{label}({name}): ‘{shown}’ — {reason}. 이 조건은 빼고 보여 드립니다."


def _without_page(data):
    """A QueryDict copy without the page number (pages are the view's business)."""
    if data is None:
        return None
    if not isinstance(data, QueryDict):
        query = QueryDict(mutable=True)
        for key, value in data.items():
            query.setlist(key, value if isinstance(value, list | tuple) else [value])
        data = query
    data = data.copy()
    data.pop(PAGE_PARAM, None)
    return data


@dataclass(frozen=True)
class Chip:
    """An applied filter, shown as a removable chip."""

    param: str
    value: str
    label: str
    remove_url: str


@dataclass
class ProgramSearch:
    """Everything a listing page needs from the URL parameters."""

    filterset: ProgramFilter
    path: str
    params: list[tuple[str, str]] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.filterset.year

    @property
    def years(self) -> list[int]:
        return self.filterset.years

    @property
    def draft_year(self) -> int | None:
        """The year shown, when it is a draft (only staff are shown one)."""
        return self.year if self.year in self.filterset.draft_years else None

    @property
    def form(self):
        return self.filterset.form

    @property
    def programs(self):
        """The filtered, sorted programs (not yet prefetched)."""
        return self.filterset.qs

    @property
    def messages(self) -> list[str]:
        return self.filterset.messages()

    @property
    def is_filtered(self) -> bool:
        return bool(self.chips)

    @property
    def sort(self) -> str:
        return self.filterset.cleaned().get("sort") or Sort.SHEET

    # -- links -------------------------------------------------------------------
    def url(self, params: list[tuple[str, str]]) -> str:
        query = urlencode(params)
        return f"{self.path}?{query}" if query else self.path

    def url_with(self, **changes) -> str:
        """This search's URL with some parameters replaced (None removes one)."""
        params = [(k, v) for k, v in self.params if k not in changes]
        params += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
        return self.url(_in_order(params))

    def page_url(self, number: int) -> str:
        return self.url_with(page=number if number > 1 else None)

    @property
    def query_string(self) -> str:
        """The understood filters as a query string, for links to other pages."""
        return urlencode(self.params)

    @property
    def clear_url(self) -> str:
        """All filters removed; an explicitly chosen year and the sort stay."""
        return self.url([(k, v) for k, v in self.params if k in ("year", "sort")])

    @property
    def chips(self) -> list[Chip]:
        if not hasattr(self, "_chips"):
            self._chips = [
                Chip(param, value, self._chip_label(param, value), self._without(param, value))
                for param, value in self.params
                if param not in ("year", "sort")
            ]
        return self._chips

    def _without(self, param: str, value: str) -> str:
        return self.url([(k, v) for k, v in self.params if (k, v) != (param, value)])

    def _chip_label(self, param: str, value: str) -> str:
        cleaned = self.filterset.cleaned()
        if param == "eligibility":
            names = dict(self.filterset.eligibility_choices)
            return f"지원대상: {names.get(value, value)}"
        if param == "month":
            return f"{value}월에 일정 있음"
        if param == "kind":
            return f"일정 종류: {Kind(value).label}"
        if param == "status":
            return f"접수 상태: {Status(value).label}"
        if param in ("amount_min", "budget_min", "amount_max", "budget_max"):
            what = "업체당" if param.startswith("amount") else "사업 규모"
            bound = "이상" if param.endswith("min") else "이하"
            return f"{what} {format_won(cleaned[param])} {bound}"
        if param == "q":
            return f"검색어: ‘{value}’"
        return f"{PARAM_LABELS[param]}: {value}"

    # -- empty results -------------------------------------------------------------
    def relaxations(self) -> list[tuple[Chip, int]]:
        """For an empty result: each chip with how many programs there would be
        without it. One count query per chip, however many programs there are."""
        base = self.filterset.queryset
        found = []
        for chip in self.chips:
            cleaned = dict(self.filterset.cleaned())
            if chip.param in ("eligibility", "status"):
                rest = [code for code in cleaned[chip.param] if code != chip.value]
                cleaned[chip.param] = rest
                if not rest:
                    del cleaned[chip.param]
            else:
                cleaned.pop(chip.param, None)
            count = self.filterset.filter_queryset(base.all(), cleaned).count()
            found.append((chip, count))
        return found

    # -- pages ---------------------------------------------------------------------
    def paginate(self, queryset, raw_page: str | None, per_page: int = PAGE_SIZE):
        """(page, message): an unreadable or out-of-range page number shows the
        nearest real page and says so, instead of failing."""
        paginator = Paginator(queryset, per_page)
        message = ""
        number = 1
        if raw_page not in (None, ""):
            text = raw_page.strip()
            if text.isascii() and text.isdigit():
                # Beyond any real page count; capped so int() stays cheap.
                number = int(text[:12]) if len(text) <= 12 else 10**12
            else:
                message = f"쪽 번호(page): ‘{_shown(raw_page)}’ — 쪽 번호는 숫자여야 합니다."
        if number < 1:
            message, number = f"쪽 번호(page): ‘{_shown(raw_page)}’ — 1쪽부터 있습니다.", 1
        if number > paginator.num_pages:
            message = (
                f"쪽 번호(page): ‘{_shown(raw_page)}’ — 결과는 {paginator.num_pages}쪽까지 "
                f"있어 마지막 쪽을 보여 드립니다."
            )
            number = paginator.num_pages
        page: Page = paginator.page(number)
        return page, message


def _in_order(params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    order = {name: index for index, name in enumerate((*FILTER_PARAMS, PAGE_PARAM))}
    return sorted(params, key=lambda item: order.get(item[0], len(order)))


def _params(filterset: ProgramFilter) -> list[tuple[str, str]]:
    """The understood parameters, written the way the user wrote them."""
    cleaned = filterset.cleaned()
    data = filterset.data
    params = []
    for name in FILTER_PARAMS:
        if name not in cleaned:
            continue
        if name == "year" and "year" not in data:
            continue
        if name == "sort" and cleaned[name] == Sort.SHEET:
            continue
        if name in ("eligibility", "status"):
            params += [(name, code) for code in dict.fromkeys(cleaned[name])]
        elif name == "q":
            params.append((name, cleaned[name]))
        else:
            params.append((name, data.get(name).strip()))
    return params


def search_programs(
    data, *, path: str = "", year: int | None = None, today=None, drafts: bool = False
):
    """Read listing parameters (request.GET) into a ProgramSearch.

    `path` is the page the chip and page links point at (request.path);
    `year` forces a year (pages whose URL carries it); `drafts` lets draft plan
    years be chosen (`programs.drafts.sees_drafts`), otherwise only published
    ones exist."""
    data = data if data is not None else QueryDict()
    filterset = ProgramFilter(data, year=year, today=today, drafts=drafts)
    return ProgramSearch(filterset=filterset, path=path, params=_params(filterset))


MAX_TIDY_URL_LENGTH = 2000


def canonical_url(request) -> str | None:
    """Where a GET form submission with empty fields should go: the same URL
    without them, so shared links stay short. None when already tidy."""
    pairs = [(k, v) for k, values in request.GET.lists() for v in values]
    kept = [(k, v) for k, v in pairs if v.strip() != ""]
    if len(kept) == len(pairs):
        return None
    query = urlencode(kept)
    url = f"{request.path}?{query}" if query else request.path
    # Django refuses to redirect to very long URLs (a 400); such a query is not
    # a form submission to tidy, so the page is simply shown for it as it is.
    return url if len(url) <= MAX_TIDY_URL_LENGTH else None
