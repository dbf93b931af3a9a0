"""가져오기 한 번을 되돌립니다: 그 가져오기가 추가한 사업은 지우고, 고친 값은 전으로, 지운
사업은 추진일정·문의처·사업 소개와 함께 되살립니다. 그 뒤에 다시 바뀐 것이 있으면 목록을
보여 주고 멈춥니다 (--force면 덮어씁니다).
"""

from django.core.management.base import BaseCommand, CommandError

from history.models import ImportRun
from history.restore import RestoreRefused
from history.revert import revert_run
from portal.commands import add_switch
from portal.operator import operator_name


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("run", help="가져오기 번호 (import_runs의 맨 앞 숫자)")
        add_switch(parser, "--force", "가져오기 뒤에 바뀐 것도 덮어쓰고 되돌립니다")

    def handle(self, *args, **options):
        raw = options["run"].lstrip("#")
        if not raw.isdigit():
            raise CommandError(f"{options['run']!r}: expected 가져오기 번호 (import_runs 참고)")
        run = ImportRun.objects.filter(pk=int(raw)).first()
        if run is None:
            raise CommandError(f"가져오기 #{raw}가 없습니다 (expected import_runs에 나오는 번호)")
        try:
            applied = revert_run(run, user_name=operator_name(), force=options["force"])
        except RestoreRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"가져오기 #{run.pk}를 되돌렸습니다: 되살림 {applied.created}, "
                f"되돌림 {applied.changed}, 지움 {applied.deleted}"
            )
        )
        for kept in applied.kept:
            self.stdout.write(self.style.WARNING(f"  다른 곳에서 쓰여 남겨 둠: {kept}"))
