"""Amounts as Seoul's support-program plans write them, and what a person reads.

Every expected figure below was worked out by hand from the text (천 = 1,000,
만 = 10,000, 억 = 100,000,000, 조 = 1,000,000,000,000), not copied from the
parser's output."""

import unicodedata

import pytest

from programs.amounts import AmountError, AmountTooLarge, describe, parse_amount

M = 10_000  # 만
EOK = 100_000_000  # 억
DECOMPOSED = unicodedata.normalize("NFD", "천오백만원")  # as macOS pastes it

READ = [
    # text, won, values, is_max, is_approx, per, quantity, unit, undecided
    # Decimals and units, as in the 2019 plan.
    ("4.5천만원", 4_500 * M, (4_500 * M,), False, False, "", None, "", False),
    ("8천7백만원", 8_700 * M, (8_700 * M,), False, False, "", None, "", False),
    ("1억 5천만원", EOK + 5_000 * M, (EOK + 5_000 * M,), False, False, "", None, "", False),
    ("1.24억원", 124_000_000, (124_000_000,), False, False, "", None, "", False),
    ("5백만원", 500 * M, (500 * M,), False, False, "", None, "", False),
    ("3십만원", 30 * M, (30 * M,), False, False, "", None, "", False),
    ("1,000,000원", 1_000_000, (1_000_000,), False, False, "", None, "", False),
    ("45000000", 45_000_000, (45_000_000,), False, False, "", None, "", False),
    # A cell openpyxl reads as a number rather than text.
    (45_000_000, 45_000_000, (45_000_000,), False, False, "", None, "", False),
    (12_000_000.0, 12_000_000, (12_000_000,), False, False, "", None, "", False),
    ("1조 2억원", 10**12 + 2 * EOK, (10**12 + 2 * EOK,), False, False, "", None, "", False),
    ("0원", 0, (0,), False, False, "", None, "", False),
    # The same figures with the spaces people put in.
    ("1억 5천만 원", EOK + 5_000 * M, (EOK + 5_000 * M,), False, False, "", None, "", False),
    ("8천 7백만원", 8_700 * M, (8_700 * M,), False, False, "", None, "", False),
    ("1억 5000만원", EOK + 5_000 * M, (EOK + 5_000 * M,), False, False, "", None, "", False),
    ("15,000만원", 15_000 * M, (15_000 * M,), False, False, "", None, "", False),
    ("4.5천만 원", 4_500 * M, (4_500 * M,), False, False, "", None, "", False),
    # A unit with no number before it counts once; Hangul numerals.
    ("천만원", 1_000 * M, (1_000 * M,), False, False, "", None, "", False),
    ("백만원", 100 * M, (100 * M,), False, False, "", None, "", False),
    ("천만 원", 1_000 * M, (1_000 * M,), False, False, "", None, "", False),
    ("천오백만원", 1_500 * M, (1_500 * M,), False, False, "", None, "", False),
    ("삼천만원", 3_000 * M, (3_000 * M,), False, False, "", None, "", False),
    ("오백만원", 500 * M, (500 * M,), False, False, "", None, "", False),
    ("일억 오천만원", EOK + 5_000 * M, (EOK + 5_000 * M,), False, False, "", None, "", False),
    ("사업비 천만원", 1_000 * M, (1_000 * M,), False, False, "", None, "", False),
    # Maximum and approximate, as whole words or written against the figure.
    ("최대 7천만원", 7_000 * M, (7_000 * M,), True, False, "", None, "", False),
    ("최대300만원", 300 * M, (300 * M,), True, False, "", None, "", False),
    ("최대 9백만원", 900 * M, (900 * M,), True, False, "", None, "", False),
    ("한도 1천만원", 1_000 * M, (1_000 * M,), True, False, "", None, "", False),
    ("약 500만원", 500 * M, (500 * M,), False, True, "", None, "", False),
    ("약500만원", 500 * M, (500 * M,), False, True, "", None, "", False),
    ("500만원 내외", 500 * M, (500 * M,), False, True, "", None, "", False),
    ("500만원내외", 500 * M, (500 * M,), False, True, "", None, "", False),
    ("3천만원 정도", 3_000 * M, (3_000 * M,), False, True, "", None, "", False),
    ("3천만원 내외", 3_000 * M, (3_000 * M,), False, True, "", None, "", False),
    ("1억원 안팎", EOK, (EOK,), False, True, "", None, "", False),
    ("천만원내외", 1_000 * M, (1_000 * M,), False, True, "", None, "", False),
    # Words that only contain 약, 내외 or 한도 say nothing about the amount.
    ("협약 후 500만원", 500 * M, (500 * M,), False, False, "", None, "", False),
    ("국내외 전시회 300만원", 300 * M, (300 * M,), False, False, "", None, "", False),
    ("전년도 한도초과분 200만원", 200 * M, (200 * M,), False, False, "", None, "", False),
    # Whom the amount is counted per.
    ("인당 최대 300만원", 300 * M, (300 * M,), True, False, "person", None, "", False),
    ("1인당 50만원", 50 * M, (50 * M,), False, False, "person", None, "", False),
    ("인당300만원", 300 * M, (300 * M,), False, False, "person", None, "", False),
    ("기업당 2천만원 이내", 2_000 * M, (2_000 * M,), True, False, "company", None, "", False),
    ("기업당 최대 1천만원", 1_000 * M, (1_000 * M,), True, False, "company", None, "", False),
    ("업체당 최대 5천만원", 5_000 * M, (5_000 * M,), True, False, "company", None, "", False),
    ("교육과정 2천만원", 2_000 * M, (2_000 * M,), False, False, "course", None, "", False),
    ("연간 1억원", EOK, (EOK,), False, False, "year", None, "", False),
    # Lists: a unit written once at the end serves like figures before it.
    (
        "1천/5천/3천/2천만원",
        5_000 * M,
        (1_000 * M, 5_000 * M, 3_000 * M, 2_000 * M),
        False, False, "", None, "", False,
    ),
    ("300/500만원", 500 * M, (300 * M, 500 * M), False, False, "", None, "", False),
    ("1/2억원", 2 * EOK, (EOK, 2 * EOK), False, False, "", None, "", False),
    ("1억/2억원", 2 * EOK, (EOK, 2 * EOK), False, False, "", None, "", False),
    ("5천만원/1억원", EOK, (5_000 * M, EOK), False, False, "", None, "", False),
    # Money with a quantity, and quantities alone.
    ("6억원/7개 내외", 6 * EOK, (6 * EOK,), False, True, "", 7, "개", False),
    ("6억원/7개내외", 6 * EOK, (6 * EOK,), False, True, "", 7, "개", False),
    ("2식", None, (), False, False, "", 2, "식", False),
    ("24개", None, (), False, False, "", 24, "개", False),
    ("10개소", None, (), False, False, "", 10, "개소", False),
    ("7개 내외", None, (), False, True, "", 7, "개", False),
    ("3천명", None, (), False, False, "", 3_000, "명", False),
    ("연 32회", None, (), False, False, "year", 32, "회", False),
    ("연32회", None, (), False, False, "year", 32, "회", False),
    ("멘토링 2~3회", None, (), True, False, "", 3, "회", False),
    ("최대 2~3회", None, (), True, False, "", 3, "회", False),
    # Not decided yet.
    ("미정", None, (), False, False, "", None, "", True),
    ("추후 결정", None, (), False, False, "", None, "", True),
    ("별도 협의", None, (), False, False, "", None, "", True),
    # Full-width digits and decomposed Hangul, as pasted from other programs.
    ("５００만원", 500 * M, (500 * M,), False, False, "", None, "", False),
    ("최대　７천만원", 7_000 * M, (7_000 * M,), True, False, "", None, "", False),
    (DECOMPOSED, 1_500 * M, (1_500 * M,), False, False, "", None, "", False),
]  # fmt: skip

REFUSED = [
    # text, why a person could not be sure what it says
    ("abc", "no figure at all"),
    ("만원", "a big unit with no number: write 1만원"),
    ("원", "no figure, only 원"),
    ("5천", "no 원 and no 만/억: 5천 won or 5천만원?"),
    ("5천/1억원", "read with the last unit it becomes 5천억 beside 1억"),
    ("500/1억원", "read with the last unit it becomes 500억 beside 1억"),
    ("1억/5천", "the last part has no unit to lend and 5천 has none"),
    ("1억/5000", "a bare number beside a 억 amount: 5000 won or 5000만원?"),
    ("5만1억", "the smaller big unit comes first"),
    ("1억2억", "the same big unit twice"),
    ("3천만원 1억", "two amounts in one part"),
    ("천천만원", "the same small unit twice"),
    ("7백8천만원", "small units out of order"),
    ("8천1500만원", "1500 after 천 overlaps it"),
    ("1억 15000만원", "15000만 after 억 overlaps it"),
    ("1.5억 5천만원", "a decimal before further figures"),
    ("1,0000원", "commas not every three digits"),
    ("1.5원", "not a whole number of won"),
    ("2.5개", "not a whole number of things"),
    ("4.5천만 원x", "letters after 원"),
    ("500만원 지원", "a word after the amount"),
    ("7천만원/abc", "a part with no amount"),
    ("300~500만원", "a range of money"),
    ("3~2회", "a range running backwards"),
    ("7개/3회", "two quantities where the page shows one"),
    ("일이삼", "Hangul numerals with no unit"),
    ("-5만원", "a negative amount"),
    ("2가나다라마바사아자차카", "a counting word longer than the database keeps"),
]

TOO_LARGE = [
    ("10000000조원", "more won than the database column holds"),
    ("3000000000개", "more things than the database column holds"),
    ("9" * 41 + "원", "more digits than any amount of money"),
]


@pytest.mark.parametrize(
    ("text", "won", "values", "is_max", "is_approx", "per", "quantity", "unit", "undecided"), READ
)
def test_each_amount_reads_as_a_person_reads_it(
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


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_texts_a_person_could_misread_are_refused(text, reason):
    with pytest.raises(AmountError) as refused:
        parse_amount(text)
    assert not isinstance(refused.value, AmountTooLarge), reason
    # The message quotes the text (or the part of it) that could not be read.
    assert text.split("/")[-1][:5] in str(refused.value) or text[:5] in str(refused.value)


@pytest.mark.parametrize(("text", "reason"), TOO_LARGE)
def test_amounts_too_large_to_keep_are_refused_as_too_large(text, reason):
    with pytest.raises(AmountTooLarge, match=r"너무 큽니다|자리를 넘습니다"):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # Forms the 2019 plan writes.
        ("최대 7천만원", "최대 7,000만 원"),
        ("인당 최대 300만원", "인당 최대 300만 원"),
        ("6억원/7개 내외", "6억 원 내외 · 7개"),
        ("미정", "미정"),
        ("연 32회", "연 32회"),
        ("24개", "24개"),
        # Forms the plan does not write yet, described the way the plan's forms are.
        ("천오백만원", "1,500만 원"),
        ("약500만원", "500만 원 내외"),
        ("협약 후 500만원", "500만 원"),
        ("기업당 2천만원 이내", "기업당 최대 2,000만 원"),
        ("300/500만원", "300만 원 / 500만 원"),
        ("3천명", "3,000명"),
        ("연32회", "연 32회"),
        ("５００만원", "500만 원"),
    ],
)
def test_amounts_are_described_for_citizens_the_way_notices_write_them(text, shown):
    assert describe(parse_amount(text)) == shown
