"""Send alert digests and delete unconfirmed subscriptions older than 7 days."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alerts.sending import run


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        base_url = settings.PORTAL_BASE_URL
        if not base_url:
            raise CommandError(
                "PORTAL_BASE_URL is not set: digests need the site's public address "
                "(https://…) for their links."
            )
        if not settings.DEBUG and not base_url.startswith("https://"):
            raise CommandError(f"PORTAL_BASE_URL={base_url!r}: production links must be https://")
        report = run(base_url=base_url)
        self.stdout.write(
            f"{report.sent} digests sent, {report.unchanged} subscriptions without news, "
            f"{report.deleted_unconfirmed} unconfirmed deleted"
        )
        if report.failed:
            raise CommandError(f"{len(report.failed)} digests failed: " + ", ".join(report.failed))
