"""The whole journey, through real SMTP: subscribe to a filtered search, confirm
from the mail, the center re-imports its sheet with a corrected budget, one
digest tells it, a second run tells nothing, one click unsubscribes."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from alerts.models import Subscription
from tests.alerts.conftest import html_part, link_in, text_part, unsubscribe_path
from tests.alerts.helpers import AREA, at, subscribe
from tests.support.paths import PLAN_2019_XLSX

pytestmark = pytest.mark.django_db

PROGRAM = "유통채널 입점지원"  # in 민간판로 지원, taking applications in February 2019


def sheet_with_budget(tmp_path, program: str, budget: str):
    """The shipped sheet with one program's 지원규모 cell rewritten, as staff would."""
    book = openpyxl.load_workbook(PLAN_2019_XLSX)
    sheet = book.worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    header = next(cell for cell in cells if cell.value == "지원규모")
    name = next(cell for cell in cells if cell.value == program)
    sheet.cell(row=name.row, column=header.column).value = budget
    path = tmp_path / "plan-2019-corrected.xlsx"
    book.save(path)
    return path


def send_alerts() -> str:
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    return out.getvalue()


def test_subscribe_confirm_import_digest_once_and_unsubscribe_in_one_click(
    client, plan_2019, smtp, base_url, tmp_path
):
    with at("2019-02-11"):
        answer = subscribe(client, "citizen@example.kr", area=AREA, status="open")
        assert answer.status_code == 302
        [confirmation] = smtp.take()
        assert confirmation["To"] == "citizen@example.kr"
        assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = link_in(confirmation, "/alerts/confirm/")
        assert "알림 받기" in client.get(link).content.decode()
        assert Subscription.objects.get().confirmed_at is None, "opening the link confirms nothing"
        assert client.post(link).status_code == 200
        assert Subscription.objects.get().confirmed_at is not None

        call_command(
            "import_programs",
            str(sheet_with_budget(tmp_path, PROGRAM, "1.5억원")),
            stdout=io.StringIO(),
        )
        assert "1 digests sent" in send_alerts()

    [digest] = smtp.take()
    assert digest["To"] == "citizen@example.kr"
    assert digest.get_content_type() == "multipart/alternative"
    body = text_part(digest)
    assert PROGRAM in body and "지원규모 1.24억원 → 1.5억원" in body
    assert "지원규모 1.24억원 → 1.5억원" in html_part(digest)
    assert body.count("■ ") == 1, "only the corrected program has news"
    subscription = Subscription.objects.get()
    assert digest["List-Unsubscribe"].strip() == (
        f"<https://portal.example.kr/alerts/unsubscribe/{subscription.token}/>"
    )
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    with at("2019-02-12"):
        assert "0 digests sent" in send_alerts()
    assert smtp.take() == []

    mail_provider = Client(enforce_csrf_checks=True)
    response = mail_provider.post(
        unsubscribe_path(digest), {"List-Unsubscribe": "One-Click"}, secure=True
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()
