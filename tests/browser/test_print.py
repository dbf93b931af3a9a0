"""The printed plan: the calendar on A3 landscape, as staff hand it out at a briefing."""

import re
import subprocess

import pytest

from programs.models import Program
from tests.browser.pages import YEAR
from tests.browser.support import SCREENSHOTS, compact, visit

pytestmark = pytest.mark.browser

A3_LANDSCAPE_PT = (1190.55, 841.89)
# The 2019 plan is 62 table rows (2 sections, 16 areas, 44 programs). An A3 sheet
# holds about 270 mm of table under its repeated header; at the print stylesheet's
# compact rows (6-8 mm: name, target and contact in small type) that is 34-45 rows
# a sheet: two sheets, one handout. A third sheet means rows grew too tall.
MAX_PAGES = 2


def pdf_info(path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pairs = (line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def pdf_text(path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def test_the_calendar_prints_on_a3_landscape_with_every_program_name(page):
    visit(page, "/calendar/")
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "calendar-a3.pdf"
    page.pdf(path=str(path), format="A3", landscape=True, print_background=True)

    info = pdf_info(path)
    width, height = (float(n) for n in re.findall(r"[\d.]+", info["Page size"])[:2])
    # Chromium rounds the page box to whole CSS pixels: within 2 pt of A3 is A3.
    assert abs(width - A3_LANDSCAPE_PT[0]) < 2 and abs(height - A3_LANDSCAPE_PT[1]) < 2, info
    pages = int(info["Pages"])
    assert 1 <= pages <= MAX_PAGES, f"the {YEAR} plan prints on {pages} A3 pages"

    # Table cells wrap long names over lines: compare without any whitespace.
    text = compact(pdf_text(path))
    names = list(Program.objects.for_year(YEAR).values_list("name", flat=True))
    missing = [name for name in names if compact(name) not in text]
    assert not missing, f"{len(missing)} of {len(names)} program names not in the PDF: {missing}"
    # Every sheet repeats the month header, so each can be read on its own.
    for number in range(1, pages + 1):
        sheet = compact(pdf_text(path, number))
        assert "사업명" in sheet and "1월" in sheet and "12월" in sheet, f"sheet {number}"
    # No screen chrome on paper.
    assert "본문바로가기" not in text
    assert compact("주 메뉴") not in text
