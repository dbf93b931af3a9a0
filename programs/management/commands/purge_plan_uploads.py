"""관리 화면에서 올렸지만 반영하지 않은 계획표 파일 가운데 하루가 지난 것을 지웁니다. (올릴
때마다 저절로도 지웁니다; cron에서 하루 한 번 돌려도 됩니다.)
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from programs import uploads


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=int(uploads.KEEP_FOR.total_seconds() // 3600),
            help="이보다 오래된 파일을 지웁니다 (기본 24시간; 0이면 모두)",
        )

    def handle(self, *args, **options):
        hours = options["hours"]
        if hours < 0:
            raise CommandError(f"--hours {hours}: expected 0 이상의 시간")
        removed = uploads.purge(dt.timedelta(hours=hours))
        self.stdout.write(f"올린 계획표 파일 {removed}개를 지웠습니다 ({uploads.upload_dir()}).")
