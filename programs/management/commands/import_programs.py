"""연도별 지원사업 계획표(.xlsx)를 가져옵니다. 사업은 (연도, 지원분야, 사업명)으로 찾아 고치고,
오류가 하나라도 있으면 아무것도 바꾸지 않습니다.
"""

import datetime
import logging

from django.core.management.base import BaseCommand, CommandError

from portal.commands import add_switch
from portal.operator import operator_name
from programs.plan_import import ImportFailed, import_plan

log = logging.getLogger("portal.import")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("file", help="계획표 .xlsx 파일")
        parser.add_argument("--year", type=int, help="사업연도 (없으면 표 위 제목의 'YYYY년')")
        parser.add_argument("--sheet", help="이 시트만 읽습니다 (없으면 머리글이 있는 모든 시트)")
        add_switch(
            parser, "--dry-run", "실제로 가져올 때와 같은 보고만 하고 아무것도 저장하지 않습니다"
        )
        add_switch(
            parser,
            "--prune",
            "그 연도 사업 중 시트에 없는 사업을 지웁니다 (없으면 목록만 보여 줍니다)",
        )
        add_switch(
            parser,
            "--draft",
            "새 연도를 미공개 초안으로 만듭니다 (없으면 바로 공개; 공개 중인 연도는 그대로 "
            "고칩니다). 공개: publish_plan YEAR",
        )

    def handle(self, *args, **options):
        path = options["file"]
        year = options["year"]
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError(f"--year {year}: expected 2000~2100 사이의 연도")
        started = datetime.datetime.now(datetime.UTC)
        context = {
            "user": operator_name(),
            "when": started.isoformat(timespec="seconds"),
            "file": path,
            "dry_run": options["dry_run"],
        }
        try:
            report = import_plan(
                path,
                year=year,
                sheet=options["sheet"],
                dry_run=options["dry_run"],
                prune=options["prune"],
                draft=options["draft"],
            )
        except ImportFailed as failure:
            log.warning(
                "import failed user=%(user)s when=%(when)s file=%(file)s dry_run=%(dry_run)s "
                "sha256=%(sha256)s errors=%(errors)d",
                {**context, "sha256": failure.sha256 or "-", "errors": len(failure.errors)},
            )
            raise CommandError(
                f"가져오지 않았습니다: 오류 {len(failure.errors)}건. 데이터베이스는 그대로입니다.\n"
                + "\n".join(failure.errors)
            ) from None

        # A dry run is asked for to see what would change: it always lists it.
        detailed = options["verbosity"] >= 2 or report.dry_run
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"경고: {warning}"))
        for year_report in report.years:
            self._write_year(year_report, detailed=detailed)
        if report.dry_run:
            self.stdout.write(self.style.NOTICE("--dry-run: 아무것도 저장하지 않았습니다."))

        log.info(
            "import ok user=%(user)s when=%(when)s file=%(file)s dry_run=%(dry_run)s "
            "sha256=%(sha256)s %(counts)s",
            {**context, "sha256": report.sha256, "counts": report.log_counts},
        )

    def _write_year(self, year_report, *, detailed: bool) -> None:
        self.stdout.write(self.style.SUCCESS(year_report.summary))
        if year_report.state_is_news:
            self.stdout.write(f"  공개 상태: {year_report.state_text}")
        if not detailed:
            if year_report.missing and not year_report.pruned:
                self.stdout.write(
                    self.style.WARNING(
                        f"  시트에 없는 {year_report.year}년 사업 {len(year_report.missing)}개는 "
                        "그대로 두었습니다 (목록: -v 2, 지우려면 --prune)"
                    )
                )
            return
        for name in year_report.created:
            self.stdout.write(f"  created: {name}")
        details = {entry.title: entry.changes for entry in year_report.entries}
        for name, changes in year_report.updated:
            self.stdout.write(f"  updated: {name} ({', '.join(changes)})")
            for change in details.get(name, ()):
                self.stdout.write(f"      {change}")
        if year_report.reordered:
            self.stdout.write(
                f"  reordered: {len(year_report.reordered)}개 사업의 순서 번호만 바뀜"
            )
        for name in year_report.missing:
            verb = "pruned" if name in year_report.pruned else "missing (kept)"
            self.stdout.write(f"  {verb}: {name}")
