import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from programs.amounts import (
    MAX_QUANTITY,
    MAX_WON,
    AmountError,
    Per,
    describe,
    format_won,
    korean_number_to_won,
    parse_amount,
)

REPOSITORY = Path(__file__).resolve().parents[2]


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
    ("text", "won"),
    [
        ("천만원", 10_000_000),
        ("백만원", 1_000_000),
        ("천오백만원", 15_000_000),
        ("삼천만원", 30_000_000),
        ("오백만원", 5_000_000),
        ("일억 오천만원", 150_000_000),
    ],
)
def test_it_reads_amounts_written_with_hangul_numerals(text, won):
    assert parse_amount(text).won == won


@pytest.mark.parametrize(
    ("text", "won"), [("협약 후 500만원", 5_000_000), ("국내외 전시회 300만원", 3_000_000)]
)
def test_a_word_that_merely_contains_an_approximation_word_is_not_approximate(text, won):
    amount = parse_amount(text)
    assert (amount.won, amount.is_approx) == (won, False)


@pytest.mark.parametrize("text", ["약 500만원", "약500만원", "500만원 내외", "500만원내외"])
def test_approximation_words_standing_on_their_own_make_the_amount_approximate(text):
    amount = parse_amount(text)
    assert (amount.won, amount.is_approx) == (5_000_000, True)


def test_a_word_that_merely_contains_a_max_word_is_no_maximum():
    amount = parse_amount("전년도 한도초과분 200만원")
    assert (amount.won, amount.is_max) == (2_000_000, False)


@pytest.mark.parametrize("text", ["5천/1억원", "1억/5천", "500/1억원"])
def test_a_unit_written_once_at_the_end_never_multiplies_parts_it_does_not_fit(text):
    with pytest.raises(AmountError, match="5천만원/1억원처럼 단위를 각각 적으세요"):
        parse_amount(text)


def test_a_unit_written_once_at_the_end_still_serves_a_list_of_like_figures():
    assert parse_amount("1천/5천/3천/2천만원").values == (
        10_000_000,
        50_000_000,
        30_000_000,
        20_000_000,
    )


@pytest.mark.parametrize("text", ["5만1억", "1억2억", "5만 1억원", "3천만 1억", "1조 1조원"])
def test_big_units_must_come_largest_first_and_once_each(text):
    with pytest.raises(AmountError, match="큰 단위"):
        parse_amount(text)


def _finishes_within(seconds: float, code: str) -> bool:
    """Runs `code` in a fresh interpreter: a regular expression that backtracks
    holds the GIL, so a thread could not time it out."""
    try:
        subprocess.run([sys.executable, "-c", code], cwd=REPOSITORY, timeout=seconds, check=True)
    except subprocess.TimeoutExpired:
        return False
    return True


def test_long_runs_of_digits_are_refused_at_once_not_after_minutes():
    # Before the fix each two more digits took four times as long: hours for these.
    code = """
from programs.amounts import AmountError, korean_number_to_won, parse_amount
for text in ["1" * 40 + "x", "1" * 5000 + "x", "1천" * 3000 + "x", "9," * 3000 + "x"]:
    for reader in (parse_amount, korean_number_to_won):
        try:
            reader(text)
        except AmountError:
            pass
        else:
            raise SystemExit(f"accepted {text[:20]!r}")
"""
    assert _finishes_within(30, code)


def test_ten_thousand_characters_of_garbage_are_refused():
    for garbage in ["1" * 10_000, "가1," * 3_400, "만" * 10_000, "1천" * 5_000 + "원x"]:
        with pytest.raises(AmountError):
            parse_amount(garbage)


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("10000000조원", "9,223,372,036,854,775,807원"),
        ("9999999999조원", "9,223,372,036,854,775,807원"),
        ("3000000000개", "2,147,483,647"),
    ],
)
def test_amounts_too_large_for_the_database_are_refused_naming_the_limit(text, limit):
    with pytest.raises(AmountError, match=limit):
        parse_amount(text)


def test_the_largest_amounts_the_database_holds_are_still_read():
    assert parse_amount(f"{MAX_WON}원").won == MAX_WON
    assert parse_amount(f"{MAX_QUANTITY}개").quantity == MAX_QUANTITY


@pytest.mark.parametrize("number", [2**63, Decimal("1e99999"), float("inf"), float("nan")])
def test_numbers_from_the_sheet_that_the_database_cannot_hold_are_refused(number):
    with pytest.raises(AmountError):
        parse_amount(number)


@pytest.mark.parametrize("text", ["9" * 5000, "1e99999", "9" * 5000 + "조", "0." + "1" * 5000])
def test_korean_number_to_won_refuses_numbers_too_long_to_be_money(text):
    with pytest.raises(AmountError):
        korean_number_to_won(text)


def test_korean_number_to_won_still_reads_numbers_beyond_the_database_for_filters():
    # The catalogue says "too large" for these rather than "unreadable".
    assert korean_number_to_won("9" * 30) == int("9" * 30)


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("５００만원", "500만원"),
        ("최대　７천만원", "최대 7천만원"),
        (unicodedata.normalize("NFD", "인당 최대 삼백만원"), "인당 최대 삼백만원"),
        (unicodedata.normalize("NFD", "6억원/7개 내외"), "6억원/7개 내외"),
    ],
)
def test_full_width_digits_and_decomposed_hangul_read_as_their_plain_forms(written, plain):
    assert parse_amount(written) == parse_amount(plain)
    assert korean_number_to_won("１억") == 100_000_000


def test_one_vocabulary_names_whom_an_amount_is_counted_per():
    assert {per.value: per.label for per in Per} == {
        "person": "인당",
        "company": "기업당",
        "course": "과정당",
        "year": "연",
    }
    for text, per in [("인당 300만원", Per.PERSON), ("업체당 1천만원", Per.COMPANY)]:
        amount = parse_amount(text)
        assert amount.per == per.value
        assert describe(amount).startswith(per.label)
