"""Plan years: their state (draft or published), the upload of a yearly sheet
(`programs.admin.upload`), and the actions publish, unpublish and roll over.

Uploading and rolling over need the permission "연간 계획 가져오기"
(`programs.import_plan`), publishing and unpublishing "연간 계획 공개"
(`programs.publish_plan`); without them the pages answer 403 and the links
and actions are not offered."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from programs.admin import upload
from programs.models import Plan, Program
from programs.rollover import RolloverRefused, rollover

IMPORT_PERMISSION = "programs.import_plan"
PUBLISH_PERMISSION = "programs.publish_plan"


class RolloverForm(forms.Form):
    target = forms.IntegerField(
        label="새 사업연도", min_value=2000, max_value=2100, help_text="예: 2020"
    )
    replace = forms.BooleanField(
        label="새 연도에 이미 사업이 있으면 모두 지우고 복사합니다",
        required=False,
    )


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "state_label", "program_count", "published", "imported"]
    list_filter = ["state"]
    readonly_fields = [
        "state",
        "published_at",
        "published_by",
        "source_name",
        "source_sha256",
        "imported_at",
        "version",
        "updated_at",
    ]
    actions = ["publish_plans", "unpublish_plans", "rollover_plan"]
    change_list_template = "admin/programs/plan/change_list.html"
    # Which permission each action needs, also when it is posted by hand.
    ACTION_PERMISSIONS = {
        "publish_plans": PUBLISH_PERMISSION,
        "unpublish_plans": PUBLISH_PERMISSION,
        "rollover_plan": IMPORT_PERMISSION,
    }

    def get_urls(self):
        # Before the model's own URLs, whose "<path:object_id>/" would take "import/".
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="programs_plan_import"), *super().get_urls()]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("published_by")
            .annotate(programs_total=Count("areas__programs"))
        )

    def save_model(self, request, obj, form, change):
        if not change:
            # A plan made by hand starts hidden, like an uploaded one.
            obj.state = Plan.State.DRAFT
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        action = request.POST.get("action", "")
        needed = self.ACTION_PERMISSIONS.get(action)
        if request.method == "POST" and needed and not request.user.has_perm(needed):
            raise PermissionDenied
        extra = {"may_import": self.has_import_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return upload.import_plan_view(request, self)

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(PUBLISH_PERMISSION)

    # -- columns -----------------------------------------------------------------------
    @admin.display(description="공개 상태", ordering="state")
    def state_label(self, plan):
        if plan.is_published:
            return plan.get_state_display()
        return format_html('<strong class="plan-draft">{}</strong>', plan.get_state_display())

    @admin.display(description="사업 수", ordering="programs_total")
    def program_count(self, plan):
        return plan.programs_total

    @admin.display(description="공개한 때", ordering="published_at")
    def published(self, plan):
        if not plan.published_at:
            return "—"
        when = plan.published_at.astimezone().strftime("%Y-%m-%d %H:%M")
        who = plan.published_by.get_username() if plan.published_by else "명령줄"
        return f"{when} ({who})"

    @admin.display(description="가져온 파일", ordering="imported_at")
    def imported(self, plan):
        if not plan.imported_at:
            return "—"
        return f"{plan.source_name} · {plan.imported_at.astimezone():%Y-%m-%d %H:%M}"

    # -- actions -----------------------------------------------------------------------
    @admin.action(description="선택한 연도 공개하기", permissions=["publish"])
    def publish_plans(self, request, queryset):
        return self._change_state(request, queryset, publish=True)

    @admin.action(description="선택한 연도 공개 거두기 (미공개 초안으로)", permissions=["publish"])
    def unpublish_plans(self, request, queryset):
        return self._change_state(request, queryset, publish=False)

    def _change_state(self, request, queryset, *, publish: bool):
        plans = list(queryset.order_by("year"))
        if request.POST.get("post") != "yes":
            return self._confirm_state(request, plans, publish=publish)
        done = "공개했습니다" if publish else "미공개 초안으로 돌렸습니다"
        already = "이미 공개되어 있습니다" if publish else "이미 미공개 초안입니다"
        for plan in plans:
            changed = plan.publish(by=request.user) if publish else plan.unpublish()
            if changed:
                self.log_change(request, plan, "공개" if publish else "공개 거둠")
                messages.success(request, f"{plan.year}년 계획을 {done}.")
            else:
                messages.info(request, f"{plan.year}년 계획은 {already}.")
        return None

    def _confirm_state(self, request, plans, *, publish: bool):
        years = [plan.year for plan in plans]
        unconfirmed = dict(
            Program.objects.filter(area__plan__in=years, amounts_confirmed=False)
            .order_by()
            .values_list("area__plan_id")
            .annotate(n=Count("pk"))
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "연도 공개하기" if publish else "연도 공개 거두기",
            "plans": [
                {"plan": plan, "unconfirmed": unconfirmed.get(plan.year, 0)} for plan in plans
            ],
            "publish": publish,
            "action": "publish_plans" if publish else "unpublish_plans",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/programs/plan/confirm_state.html", context)

    @admin.action(description="선택한 연도를 다음 해 초안으로 복사하기", permissions=["import"])
    def rollover_plan(self, request, queryset):
        plans = list(queryset)
        if len(plans) != 1:
            messages.error(request, "복사할 연도를 하나만 고르세요.")
            return None
        plan = plans[0]
        posted = request.POST.get("post") == "yes"
        form = RolloverForm(request.POST if posted else None, initial={"target": plan.year + 1})
        if posted and form.is_valid():
            target, replace = form.cleaned_data["target"], form.cleaned_data["replace"]
            try:
                report = rollover(plan.year, target, replace=replace)
            except RolloverRefused as refused:
                form.add_error(None, str(refused))
            else:
                self.log_addition(request, Plan.objects.get(year=target), "복사해 만듦")
                messages.success(request, report.summary)
                for lost in report.lost_dates:
                    messages.warning(request, f"{target}년에 없는 날짜라 비웠습니다: {lost}")
                return HttpResponseRedirect(reverse("admin:programs_plan_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{plan.year}년 계획을 다음 해 초안으로 복사하기",
            "plan": plan,
            "form": form,
            "program_total": Program.objects.for_year(plan.year).count(),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/programs/plan/rollover.html", context)
