from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "포털"


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site class, so `admin.site` is the two-factor one."""

    default = False  # named in INSTALLED_APPS instead of django.contrib.admin
    default_site = "portal.admin_site.PortalAdminSite"
