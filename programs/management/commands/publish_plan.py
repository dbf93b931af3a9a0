"""한 해 계획을 공개합니다(--unpublish: 다시 미공개 초안으로). 공개하면 다음 요청부터 모든 공개
페이지에 그 연도가 나옵니다.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.commands import add_switch
from programs.models import Plan, Program


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="사업연도 (예: 2020)")
        add_switch(
            parser, "--unpublish", "공개를 거두고 미공개 초안으로 돌립니다 (직원만 볼 수 있게)"
        )

    def handle(self, *args, **options):
        year = options["year"]
        plan = Plan.objects.filter(year=year).first()
        if plan is None:
            raise CommandError(f"{year}: 그런 연도의 계획이 없습니다 (expected 가져온 연도)")
        if options["unpublish"]:
            changed = plan.unpublish()
            message = "을 미공개 초안으로 돌렸습니다" if changed else "은 이미 미공개 초안입니다"
        else:
            changed = plan.publish()
            message = "을 공개했습니다" if changed else "은 이미 공개되어 있습니다"
        count = Program.objects.for_year(year).count()
        self.stdout.write(f"{year}년 계획(사업 {count}개){message}.")
        if changed and not options["unpublish"]:
            unconfirmed = Program.objects.for_year(year).filter(amounts_confirmed=False).count()
            if unconfirmed:
                self.stdout.write(
                    self.style.WARNING(
                        f"  금액을 아직 확인하지 않은 사업이 {unconfirmed}개 있습니다 "
                        "(관리 화면의 지원사업 목록에서 '금액 확정'으로 거를 수 있습니다)."
                    )
                )
