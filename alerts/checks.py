"""A deployment check: a site that sends mail must know its public address,
because digests are sent from a command, with no request to take a host from."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def base_url_for_alert_mail(app_configs, **kwargs):
    if settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
        return []
    if not settings.PORTAL_BASE_URL.startswith("https://"):
        return [
            Warning(
                "PORTAL_BASE_URL must be the site's https:// address when mail is sent "
                "(an SMTP server is set): alert digests link to it.",
                id="alerts.W001",
            )
        ]
    return []
