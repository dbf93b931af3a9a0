"""Korean labels on the two-factor device admin of django-otp, whose texts are
not marked for translation, and on the few texts of the login lockout's admin
(django-axes) that its translations cannot reach (see locale/ for the rest).
Columns, filters, form labels, help texts, read-only fields and section titles
are renamed here; the models and their migrations are untouched."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

LABELS = {
    "user": "사용자",
    "name": "기기 이름",
    "confirmed": "사용 가능",
    "created_at": "등록한 때",
    "last_used_at": "마지막으로 쓴 때",
    "key": "비밀 키",
    "step": "코드가 바뀌는 간격(초)",
    "t0": "세기 시작한 시각(유닉스 시간)",
    "digits": "코드 자릿수",
    "tolerance": "앞뒤로 받아 주는 간격 수",
    "drift": "시계 차이(간격 수)",
    "throttling_failure_timestamp": "마지막으로 틀린 시각",
    "throttling_failure_count": "연달아 틀린 횟수",
}
HELP_TEXTS = {
    "user": "이 기기로 로그인하는 직원입니다.",
    "name": "직원이 자기 기기를 알아볼 이름입니다. 예: 업무용 휴대전화",
    "confirmed": "끄면 이 기기의 코드로는 로그인할 수 없습니다.",
    "created_at": "이 기기를 처음 등록한 날짜와 시각입니다.",
    "last_used_at": "이 기기의 코드로 마지막으로 로그인한 날짜와 시각입니다.",
    "key": "16진수로 적은 비밀 키(최대 40바이트)입니다. 남에게 보이지 마세요.",
    "step": "인증 앱의 코드가 몇 초마다 바뀌는지입니다. 보통 30초입니다.",
    "t0": "간격을 세기 시작한 유닉스 시각입니다. 보통 0입니다.",
    "digits": "인증 앱이 보여 주는 코드의 자릿수입니다.",
    "tolerance": "시계가 조금 어긋나도 받아 줄, 앞뒤 간격의 수입니다.",
    "drift": "이 기기의 시계가 서버 시계와 몇 간격 어긋나 있는지입니다.",
    "throttling_failure_timestamp": "마지막으로 틀린 시각입니다. 마지막에 맞았으면 비어 있습니다.",
    "throttling_failure_count": "코드를 연달아 틀린 횟수입니다. 맞게 넣으면 0으로 돌아갑니다.",
}
SECTIONS = {
    "Identity": "기기",
    "Timestamps": "시각",
    "Configuration": "설정",
    "State": "상태",
    "Throttling": "잘못 입력 제한",
}


def _column(name: str):
    @admin.display(description=LABELS[name], ordering=name, boolean=name == "confirmed")
    def column(device):
        return getattr(device, name)

    column.__name__ = name
    return column


def _titled(filter_class, title: str):
    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class KoreanTOTPDeviceAdmin(TOTPDeviceAdmin):
    list_filter = [
        ("created_at", _titled(admin.DateFieldListFilter, LABELS["created_at"])),
        ("last_used_at", _titled(admin.DateFieldListFilter, LABELS["last_used_at"])),
        ("confirmed", _titled(admin.BooleanFieldListFilter, LABELS["confirmed"])),
    ]
    search_help_text = "사용자 이름이나 이메일 주소로 찾습니다."

    def get_list_display(self, request):
        return [
            _column(name) if name in LABELS else name for name in super().get_list_display(request)
        ]

    def get_fieldsets(self, request, obj=None):
        return [
            (SECTIONS.get(title, title), options)
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The form's labels and help texts also name the read-only fields,
        # which the admin would otherwise label from the model in English.
        kwargs = {"labels": LABELS, "help_texts": HELP_TEXTS, **kwargs}
        return super().get_form(request, obj, change=change, **kwargs)

    @admin.display(description="QR 코드")
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">QR 코드 보기</a>', href)

    def config_view(self, request, pk):
        response = super().config_view(request, pk)
        response.template_name = "admin/otp_totp/config.html"
        response.context_data |= {"title": "인증 앱에 등록하기", "opts": self.opts}
        return response


class KoreanAccessAttemptAdmin(AccessAttemptAdmin):
    # axes builds this column's header from the method name and its message
    # from an f-string, neither of which a translation can replace.
    @admin.display(description="상태")
    def status(self, obj):
        return super().status(obj)

    @admin.action(description="만료된 시도 지우기")
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"만료된 로그인 시도 {count}건을 지웠습니다.")


for model, model_admin in (
    (TOTPDevice, KoreanTOTPDeviceAdmin),
    (AccessAttempt, KoreanAccessAttemptAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
