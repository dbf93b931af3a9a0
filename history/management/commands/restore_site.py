"""backup_site가 만든 백업을 빈 데이터베이스(DATABASE_URL, migrate 하기 전)와 MEDIA_ROOT에
되살립니다. 표가 하나라도 있는 데이터베이스에는 되살리지 않습니다.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from history.backup import BackupFailed, restore
from programs.models import Plan, Program


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("file", help="백업 파일 (portal-YYYYmmdd-HHMMSS.tar.gz)")

    def handle(self, *args, **options):
        try:
            manifest = restore(Path(options["file"]))
        except BackupFailed as failure:
            raise CommandError(f"되살리지 않았습니다: {failure}") from None
        years = ", ".join(
            str(year) for year in Plan.objects.order_by("year").values_list("year", flat=True)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"되살렸습니다: {manifest.created} {manifest.engine_name} 백업, "
                f"연도 {years or '없음'}, 사업 {Program.objects.count()}개"
            )
        )
