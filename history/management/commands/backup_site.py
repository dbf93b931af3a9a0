"""데이터베이스(PostgreSQL은 pg_dump, SQLite는 온라인 백업)와 올린 파일을 시각이 붙은 압축 파일
하나로 백업합니다. 사이트를 멈추지 않아도 됩니다.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from history.backup import BackupFailed, backup


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(Path(settings.BASE_DIR) / "var" / "backups"),
            help="백업을 둘 폴더 (기본 var/backups)",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=30,
            help="그 폴더에 남길 최근 백업 수 (기본 30, 0이면 지우지 않음)",
        )

    def handle(self, *args, **options):
        if options["keep"] < 0:
            raise CommandError(f"--keep {options['keep']}: expected 0 이상의 수")
        try:
            archive = backup(Path(options["output_dir"]), keep=options["keep"])
        except BackupFailed as failure:
            raise CommandError(f"백업하지 못했습니다: {failure}") from None
        size = archive.stat().st_size / 1024
        self.stdout.write(self.style.SUCCESS(f"백업했습니다: {archive} ({size:,.0f} KB)"))
