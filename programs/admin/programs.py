"""Programs with their milestones and contact desks, sections, areas and the
eligibility vocabulary."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html

from contacts.admin import PhoneSearchMixin
from programs.amounts import AmountError, parse_amount
from programs.models import Eligibility, Program, ProgramContact, Section, SupportArea
from schedules.kinds import Kind
from schedules.models import Milestone


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 1
    fields = ["label", "start_month", "end_month", "kind", "start_date", "end_date"]
    readonly_fields = ["kind", "start_date", "end_date"]
    ordering = ["start_month"]


class ProgramContactInline(admin.TabularInline):
    model = ProgramContact
    extra = 1
    autocomplete_fields = ["desk"]
    fields = ["desk", "position"]

    class Media:
        js = ["js/admin-autocomplete-labels.js"]


class ProgramAdminForm(forms.ModelForm):
    """Staff write amounts as in the plan; the parsed figures follow from the text,
    so the admin and the importer can never disagree about what "4.5천만원" means."""

    class Meta:
        model = Program
        fields = ["area", "name", "position", "target", "eligibility"]
        fields += ["budget_text", "per_company_text", "amounts_confirmed", "summary", "link"]

    def _clean_amount(self, field):
        text = " ".join(self.cleaned_data.get(field, "").split())
        try:
            parse_amount(text)
        except AmountError as exc:
            raise forms.ValidationError(
                f"{exc} 예: 4.5천만원, 최대 7천만원, 인당 최대 300만원, 6억원/7개 내외, 미정"
            ) from exc
        return text

    def clean_budget_text(self):
        return self._clean_amount("budget_text")

    def clean_per_company_text(self):
        return self._clean_amount("per_company_text")

    def save(self, commit=True):
        program = super().save(commit=False)
        program.budget = parse_amount(program.budget_text)
        program.per_company = parse_amount(program.per_company_text)
        if commit:
            program.save()
            self.save_m2m()
        return program


class MilestoneKindFilter(admin.SimpleListFilter):
    title = "일정 종류"
    parameter_name = "milestone_kind"

    def lookups(self, request, model_admin):
        return Kind.choices

    def queryset(self, request, queryset):
        if self.value() in Kind.values:
            return queryset.filter(milestones__kind=self.value()).distinct()
        return queryset


class YearFilter(admin.RelatedOnlyFieldListFilter):
    """Offered with a single year too, so the filters always start with the year
    (Django hides a filter with one choice)."""

    def has_output(self):
        return True


@admin.register(Program)
class ProgramAdmin(PhoneSearchMixin, admin.ModelAdmin):
    phone_lookup = "contact_links__desk__phone"
    # Five columns fit 1280 px beside the filters with room for the name; the
    # section, target and contact desks are in each program's own page.
    list_display = ["name", "year", "area_name", "budget_text", "per_company_text"]
    list_display_links = ["name"]
    list_filter = [
        ("area__plan", YearFilter),
        ("area__plan__state", admin.ChoicesFieldListFilter),
        "area__section__name",
        ("area", admin.RelatedOnlyFieldListFilter),
        "amounts_confirmed",
        "eligibility",
        MilestoneKindFilter,
    ]
    search_fields = [
        "name",
        "target",
        "contact_links__desk__team",
        "contact_links__desk__organization",
        "contact_links__desk__phone",
    ]
    autocomplete_fields = ["area"]
    inlines = [MilestoneInline, ProgramContactInline]
    form = ProgramAdminForm
    formfield_overrides = {
        # A dozen tags: plain checkboxes are quicker than the two-box widget and
        # carry proper labels for screen readers.
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    list_per_page = 50

    class Media:
        css = {"all": ["css/admin-plan.css"]}

    fieldsets = [
        (None, {"fields": ["area", "name", "position", "target", "eligibility"]}),
        (
            "지원규모·업체평균",
            {
                "fields": [
                    "budget_text",
                    "budget_parsed",
                    "per_company_text",
                    "per_company_parsed",
                    "amounts_confirmed",
                ],
                "description": "계획표에 적힌 그대로 쓰세요. 금액·수량은 저장할 때 읽습니다.",
            },
        ),
        ("직접 쓰는 안내(가져오기가 덮어쓰지 않음)", {"fields": ["summary", "link"]}),
    ]

    readonly_fields = ["budget_parsed", "per_company_parsed"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area__section", "area__plan")

    @admin.display(description="지원규모(읽은 값)")
    def budget_parsed(self, obj):
        return obj.budget_display or "—"

    @admin.display(description="업체평균(읽은 값)")
    def per_company_parsed(self, obj):
        return obj.per_company_display or "—"

    @admin.display(description="연도", ordering="area__plan")
    def year(self, obj):
        if obj.area.plan.is_published:
            return obj.area.plan_id
        return format_html("{} <small>{}</small>", obj.area.plan_id, "초안")

    @admin.display(description="지원분야", ordering="area__name")
    def area_name(self, obj):
        # The year has its own column; the area's own name says "2019 상담".
        return obj.area.name


class AreaInline(admin.TabularInline):
    model = SupportArea
    extra = 0
    fields = ["name", "position"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "position"]
    list_filter = ["plan"]
    search_fields = ["name"]
    inlines = [AreaInline]


@admin.register(SupportArea)
class SupportAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "section", "position"]
    list_filter = ["plan", "section__name"]
    list_select_related = ["section"]
    search_fields = ["name"]
    ordering = ["-plan", "section__position", "position"]


@admin.register(Eligibility)
class EligibilityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    prepopulated_fields = {"code": ["name"]}
