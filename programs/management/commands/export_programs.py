"""한 해 계획을 내보냅니다: xlsx는 import_programs가 그대로 다시 읽는 계획표, csv와 json은
공공데이터 형식(README 참고)입니다.
"""

import io
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs import opendata
from programs.models import Plan, Program

FORMATS = ("xlsx", "csv", "json")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="사업연도 (없으면 가장 최근 연도)")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="xlsx, csv, json (없으면 -o 파일의 확장자, 그것도 없으면 json)",
        )
        parser.add_argument("-o", "--output", help="쓸 파일 (없으면 표준 출력; xlsx는 파일만)")
        parser.add_argument(
            "--base-url",
            default="",
            help="url 항목 앞에 붙일 주소 (예: https://portal.example.kr)",
        )

    def handle(self, *args, **options):
        output = options["output"]
        fmt = options["format"]
        if fmt is None:
            suffix = Path(output).suffix.lower().lstrip(".") if output else ""
            fmt = suffix if suffix in FORMATS else "json"
        year = options["year"] or Plan.objects.latest_year()
        if year is None or not Plan.objects.filter(year=year).exists():
            raise CommandError(
                f"{options['year'] or ''}년 계획이 없습니다 (expected 가져온 연도)".lstrip()
                if options["year"]
                else "가져온 계획이 없습니다 (expected import_programs로 먼저 가져오기)"
            )
        if fmt == "xlsx" and not output:
            raise CommandError("-o: xlsx는 파일로만 내보냅니다 (expected -o plan.xlsx)")

        programs = Program.objects.for_year(year).for_listing().in_sheet_order()
        base_url = options["base_url"]
        if fmt == "xlsx":
            opendata.write_xlsx(year, programs, output)
        elif fmt == "csv":
            if output:
                with open(output, "w", encoding="utf-8", newline="") as stream:
                    opendata.write_csv(programs, stream, base_url)
            else:
                buffer = io.StringIO()
                opendata.write_csv(programs, buffer, base_url)
                self.stdout.write(buffer.getvalue(), ending="")
        else:
            text = json.dumps(
                opendata.plan_to_dict(year, programs, base_url), ensure_ascii=False, indent=2
            )
            if output:
                Path(output).write_text(text + "\n", encoding="utf-8")
            else:
                self.stdout.write(text)
        if output:
            count = len(programs)  # the queryset is already evaluated: no query
            self.stdout.write(
                self.style.SUCCESS(f"{year}년 사업 {count}개를 {output}({fmt})로 내보냈습니다.")
            )
