from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "이메일 알림"

    def ready(self):
        from alerts import checks  # noqa: F401  (registers the deploy check)
