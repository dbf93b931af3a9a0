from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "지원사업"

    def ready(self):
        from programs import signals, versions

        # Search text first: the version bump that follows covers it too.
        signals.connect()  # every save keeps the programs' stored search text current
        versions.connect()  # and bumps the plan version pages are cached under
