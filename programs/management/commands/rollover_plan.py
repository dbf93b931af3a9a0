"""한 해 계획을 다음 해의 미공개 초안으로 복사합니다: 구분, 지원분야, 사업, 지원대상 유형,
문의처, 추진일정 월. 금액은 그대로 두되 '확인 전'으로 표시합니다.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.commands import add_switch
from programs.rollover import RolloverRefused, rollover


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="복사할 사업연도 (예: 2019)")
        parser.add_argument("--to", type=int, required=True, help="새 사업연도 (예: 2020)")
        add_switch(
            parser,
            "--replace",
            "새 연도에 이미 사업이 있으면 지우고 복사합니다 (없으면 거절합니다)",
        )

    def handle(self, *args, **options):
        try:
            report = rollover(options["year"], options["to"], replace=options["replace"])
        except RolloverRefused as refused:
            raise CommandError(f"복사하지 않았습니다: {refused}") from None
        self.stdout.write(self.style.SUCCESS(report.summary))
        for lost in report.lost_dates:
            self.stdout.write(
                self.style.WARNING(f"  {report.target}년에 없는 날짜라 날짜를 비웠습니다: {lost}")
            )
        self.stdout.write(
            f"공개하려면: python manage.py publish_plan {report.target} (확인한 뒤에)"
        )
