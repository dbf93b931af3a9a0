import pytest

from programs.amounts import AmountError, describe, format_won, korean_number_to_won, parse_amount

# Every amount form written in the 2019 plan, and what a citizen must be told.
PARSE_TABLE = [
    # text, won, values, is_max, is_approx, per, quantity, unit, undecided
    ("4.5천만원", 45_000_000, (45_000_000,), False, False, "", None, "", False),
    ("1.24억원", 124_000_000, (124_000_000,), False, False, "", None, "", False),
    ("8천7백만원", 87_000_000, (87_000_000,), False, False, "", None, "", False),
    ("1억 5천만원", 150_000_000, (150_000_000,), False, False, "", None, "", False),
    ("최대 7천만원", 70_000_000, (70_000_000,), True, False, "", None, "", False),
    ("인당 최대 300만원", 3_000_000, (3_000_000,), True, False, "person", None, "", False),
    ("3천만원 내외", 30_000_000, (30_000_000,), False, True, "", None, "", False),
    ("6억원/7개 내외", 600_000_000, (600_000_000,), False, True, "", 7, "개", False),
    (
        "1천/5천/3천/2천만원",
        50_000_000,
        (10_000_000, 50_000_000, 30_000_000, 20_000_000),
        False, False, "", None, "", False,
    ),
    ("미정", None, (), False, False, "", None, "", True),
    ("2식", None, (), False, False, "", 2, "식", False),
    ("24개", None, (), False, False, "", 24, "개", False),
    ("연 32회", None, (), False, False, "year", 32, "회", False),
    ("기업당 최대 1천만원", 10_000_000, (10_000_000,), True, False, "company", None, "", False),
    ("교육과정 2천만원", 20_000_000, (20_000_000,), False, False, "course", None, "", False),
    ("5백만원", 5_000_000, (5_000_000,), False, False, "", None, "", False),
    ("최대 9백만원", 9_000_000, (9_000_000,), True, False, "", None, "", False),
    ("멘토링 2~3회", None, (), True, False, "", 3, "회", False),
    ("1,000,000원", 1_000_000, (1_000_000,), False, False, "", None, "", False),
    (45_000_000, 45_000_000, (45_000_000,), False, False, "", None, "", False),
    (12_000_000.0, 12_000_000, (12_000_000,), False, False, "", None, "", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "won", "values", "is_max", "is_approx", "per", "quantity", "unit", "undecided"),
    PARSE_TABLE,
)
def test_it_parses_every_amount_form_in_the_plan(
    text, won, values, is_max, is_approx, per, quantity, unit, undecided
):
    amount = parse_amount(text)
    assert (
        amount.won,
        amount.values,
        amount.is_max,
        amount.is_approx,
        amount.per,
        amount.quantity,
        amount.unit,
        amount.undecided,
    ) == (won, values, is_max, is_approx, per, quantity, unit, undecided)


def test_it_keeps_the_original_text_with_whitespace_normalised():
    assert parse_amount("1억\n 5천만원").text == "1억 5천만원"


@pytest.mark.parametrize("empty", [None, "", "  ", "-", "–"])
def test_it_reads_an_empty_cell_as_no_amount(empty):
    assert parse_amount(empty).is_empty


@pytest.mark.parametrize(
    "bad",
    [
        "abc",
        "3천만원 1억",
        "천만원",
        "만원",
        "1.5원",
        -5,
        12.5,
        True,
        "7천만원/abc",
        "4.5천만 원x",
        "2.5개",
    ],
)
def test_it_rejects_text_that_is_not_an_amount(bad):
    with pytest.raises(AmountError):
        parse_amount(bad)


@pytest.mark.parametrize(
    ("text", "won"),
    [("1조 2억원", 1_000_200_000_000), ("3십만원", 300_000), ("2억", 200_000_000), ("500", 500)],
)
def test_it_converts_korean_numbers_to_won(text, won):
    assert korean_number_to_won(text) == won


@pytest.mark.parametrize(
    ("won", "text"),
    [
        (70_000_000, "7,000만 원"),
        (150_000_000, "1억 5,000만 원"),
        (600_000_000, "6억 원"),
        (3_000, "3,000원"),
        (0, "0원"),
        (None, ""),
    ],
)
def test_it_formats_won_the_way_korean_notices_do(won, text):
    assert format_won(won) == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("최대 7천만원", "최대 7,000만 원"),
        ("인당 최대 300만원", "인당 최대 300만 원"),
        ("6억원/7개 내외", "6억 원 내외 · 7개"),
        ("미정", "미정"),
        ("연 32회", "연 32회"),
        ("24개", "24개"),
    ],
)
def test_it_describes_amounts_for_citizens(text, shown):
    assert describe(parse_amount(text)) == shown
