"""The catalogue's amount filters name an amount too large as too large,
however many digits it has, and never fail the page."""

import pytest


@pytest.mark.parametrize("digits", [30, 41, 5000])
def test_an_amount_bound_with_too_many_digits_is_called_too_large(client, make_program, digits):
    make_program("창업교육", area="교육")
    response = client.get("/programs/", {"budget_max": "9" * digits})
    assert response.status_code == 200
    assert "금액이 너무 큽니다" in response.content.decode()
