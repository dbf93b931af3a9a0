"""Whatever is typed into an amount cell, the admin's amount fields or the
catalogue's amount filters, the reader answers at once: an Amount it can keep,
or an AmountError naming the problem — never another exception, never a wait.

Hypothesis builds texts from the pieces amounts are made of (digits, Hangul
numerals, 십백천만억조, commas, dots, slashes, tildes, spaces, qualifier and
counting words) and from arbitrary Unicode, up to a few thousand characters.
The deadline is generous (1 s per example); a reader that backtracks takes
minutes to hours on such texts, a linear one milliseconds."""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from programs.amounts import (
    MAX_QUANTITY,
    MAX_UNIT_LENGTH,
    MAX_WON,
    AmountError,
    describe,
    korean_number_to_won,
    parse_amount,
)

PIECES = [
    *"0123456789",
    *"십백천만억조",
    *"일이삼사오육칠팔구",
    *",./~ 원",
    "１",
    "５００",
    "\u3000",
    "\n",
    "최대",
    "약",
    "내외",
    "이내",
    "한도",
    "정도",
    "안팎",
    "인당",
    "1인당",
    "기업당",
    "연",
    "연간",
    "교육과정",
    "협약",
    "후",
    "멘토링",
    "개",
    "식",
    "회",
    "명",
    "미정",
    "x",
    "-",
]

piece_texts = st.lists(st.sampled_from(PIECES), max_size=1_500).map("".join)
# Long runs of one piece are what made the old patterns backtrack.
runs = st.builds(
    lambda piece, count, tail: piece * count + tail,
    st.sampled_from(PIECES),
    st.integers(min_value=1, max_value=3_000),
    st.sampled_from(["", "x", "원", "만원", "/", "개"]),
)
any_text = st.text(max_size=3_000)
amount_texts = st.one_of(piece_texts, runs, any_text)

FUZZ = settings(
    deadline=1_000,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(amount_texts)
@example("1" * 3_000 + "x")
@example("1천" * 1_000 + "x")
@example("9" * 3_000)
@example("약" * 3_000 + "1")
@example("1/" * 1_500)
def test_parse_amount_answers_at_once_with_an_amount_it_can_keep_or_an_amount_error(text):
    try:
        amount = parse_amount(text)
    except AmountError:
        return
    assert amount.won is None or 0 <= amount.won <= MAX_WON
    assert amount.won == (max(amount.values) if amount.values else None)
    assert amount.quantity is None or 0 <= amount.quantity <= MAX_QUANTITY
    assert len(amount.unit) <= MAX_UNIT_LENGTH
    assert isinstance(describe(amount), str)


@FUZZ
@given(amount_texts)
@example("1e99999")
@example("9" * 3_000 + "조")
@example("0." + "1" * 3_000)
def test_korean_number_to_won_answers_at_once_with_a_whole_number_or_an_amount_error(text):
    try:
        won = korean_number_to_won(text)
    except AmountError:
        return
    assert isinstance(won, int) and won >= 0


@FUZZ
@given(st.lists(st.sampled_from(["1", "5", "천", "백", "만", "억", "원", "/", " "]), max_size=12))
def test_whatever_reads_as_money_reads_the_same_with_its_spaces_taken_out(pieces):
    text = "".join(pieces)
    try:
        amount = parse_amount(text)
    except AmountError:
        return
    assert parse_amount(text.replace(" ", "")).values == amount.values
