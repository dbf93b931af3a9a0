from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils import timezone
from django.utils.formats import date_format
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "포털"


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site class, so `admin.site` is the two-factor one."""

    default = False  # named in INSTALLED_APPS instead of django.contrib.admin
    default_site = "portal.admin_site.PortalAdminSite"


# Korean names for the admin screens of the login lockout (django-axes) and
# two-factor (django-otp) apps. Only names the migrations never read are set:
# the app's, and each model's `_meta.verbose_name` (migrations read
# `original_attrs`). Field labels come from locale/ (axes marks them for
# translation) and from portal.admin (django-otp does not).
class AxesConfig(AxesAppConfig):
    verbose_name = "로그인 잠금"
    model_names = {
        "AccessAttempt": "로그인 시도",
        "AccessFailureLog": "로그인 실패 기록",
        "AccessLog": "로그인 기록",
        "AccessAttemptExpiration": "로그인 시도 만료",
    }

    def ready(self):
        super().ready()
        _name_models(self, self.model_names)
        # A record's own name heads its admin page and its breadcrumbs; axes
        # writes it in English with the time in UTC.
        models = {model.__name__: model for model in self.get_models()}
        models["AccessAttempt"].__str__ = lambda row: _record(row, "로그인 시도")
        models["AccessLog"].__str__ = lambda row: _record(row, "로그인")
        models["AccessFailureLog"].__str__ = lambda row: _record(
            row, "로그인 실패(잠김)" if row.locked_out else "로그인 실패"
        )


def _record(row, what: str) -> str:
    when = date_format(timezone.localtime(row.attempt_time), "DATETIME_FORMAT")
    where = ", ".join(filter(None, [when, row.ip_address]))
    return f"{row.username}의 {what} ({where})"


class TOTPConfig(TOTPDefaultConfig):
    verbose_name = "2단계 인증"
    model_names = {"TOTPDevice": "인증 앱(TOTP) 기기"}

    def ready(self):
        super().ready()
        _name_models(self, self.model_names)


def _name_models(config: AppConfig, names: dict[str, str]) -> None:
    for model in config.get_models():
        if model.__name__ in names:
            model._meta.verbose_name = names[model.__name__]
            model._meta.verbose_name_plural = names[model.__name__]
