"""Korean labels on the two-factor device admin of django-otp, whose texts are
not marked for translation (the login lockout's are: see locale/). Columns,
filters, form labels and section titles are renamed here; the models and their
migrations are untouched."""

from django.contrib import admin
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
        form = super().get_form(request, obj, change=change, **kwargs)
        for name, field in form.base_fields.items():
            field.label = LABELS.get(name, field.label)
        return form

    @admin.display(description="QR 코드")
    def qrcode_link(self, device):
        return super().qrcode_link(device)


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, KoreanTOTPDeviceAdmin)
