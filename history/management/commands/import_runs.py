"""가져오기 기록을 최근 것부터 한 줄에 하나씩 보여 줍니다: 번호, 시각, 파일, 연도, +추가 ~변경
-삭제, 가져온 사람. 번호는 revert_import에 씁니다.
"""

from django.core.management.base import BaseCommand, CommandError

from history.models import ImportRun


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50, help="보여 줄 개수 (기본 50)")
        parser.add_argument("--year", type=int, help="이 사업연도를 가져온 것만")

    def handle(self, *args, **options):
        if options["limit"] < 1:
            raise CommandError(f"--limit {options['limit']}: expected 1 이상의 수")
        runs = ImportRun.objects.select_related("user")
        if options["year"] is not None:
            runs = runs.filter(years__contains=str(options["year"]))
        for run in runs[: options["limit"]]:
            self.stdout.write(run.line)
