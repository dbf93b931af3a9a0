"""The admin site: with DJANGO_ADMIN_2FA=true staff also need a TOTP code.

The check reads settings.ADMIN_2FA on every request rather than at start-up, so
one site class serves both `make run` (off) and production (on)."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class PortalAdminSite(OTPAdminSite):
    def __init__(self, name="admin"):
        # OTPAdminSite names itself "otpadmin"; every reverse("admin:…") expects "admin".
        super().__init__(name)

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.ADMIN_2FA else AdminAuthenticationForm

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.ADMIN_2FA else None

    def has_permission(self, request):
        # OTPAdminSite treats a staff user without a verified device as not staff.
        if settings.ADMIN_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)
