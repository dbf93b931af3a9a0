"""Parse the amounts written in the yearly plan (지원규모, 업체평균).

The sheet holds what staff type: "4.5천만원", "8천7백만원", "1억 5천만원",
"인당 최대 300만원", "6억원/7개 내외", "1천/5천/3천/2천만원", "2식", "연 32회",
"미정" or a plain number of won. Written here rather than taken from PyPI:
the Korean-number packages there read "천만" or decimal prefixes such as
"4.5천만" wrongly and know nothing of 최대/내외/인당 or of quantities, so they
would give wrong money figures on a public page.

What is accepted (after `portal.text.normalise`, so full-width digits and
decomposed Hangul read as their plain forms):

- Empty, "-", "–" or "—": no amount. Any text containing 미정, 추후 or 별도: undecided.
- Parts separated by "/", each an amount of money or a quantity, optionally after
  words that say what is counted ("멘토링 2~3회", "협약 후 500만원").
- A per word (인당, 1인당, 기업당, 업체당, 개소당, 과정당, 교육과정, 연, 연간) first.
- Qualifiers as whole words anywhere: 최대, 이내, 한도 (a maximum); 약, 내외, 정도,
  안팎 (approximate). 최대 and 약 (and a per word) may also be written against the
  digits that follow ("약500만원"), and 이내, 한도, 내외, 정도, 안팎 against the
  amount before ("500만원내외"). Inside any other word they are letters, not
  qualifiers: "협약" is not "약".
- Money: Arabic numbers (commas every three digits, one decimal point) or the
  Hangul numerals 일 이 삼 사 오 육 칠 팔 구, with the units 십 백 천 and 만 억 조.
  Units come largest first, each at most once in its group, and what follows a
  unit is smaller than it ("1억 5천만원", "8천7백만원", "천오백만원"); "8천1500만원",
  "5만1억" and "1억2억" are refused. A unit with no number before it counts once
  ("천만원" is 1천만원) except a big unit standing alone ("만원": write 1만원).
  A decimal may only be the last number ("4.5천만원", "1.24억원"). Money ends
  with 원 or a big unit, or is a plain number of won ("45000000"). Hangul
  numerals are read only in words made of numerals and units alone, so "사업비"
  stays a word.
- A quantity: a whole number and a counting word ("2식", "연 32회", "3천명"); a
  range "2~3회" reads as at most 3. Ranges of money are refused.
- A unit written once at the end serves earlier parts without one
  ("1천/5천/3천/2천만원") only while the figures then stay within ten times of one
  another; otherwise ("5천/1억원", "1억/5천") the text is refused as ambiguous.
- Amounts larger than the database columns hold (MAX_WON, MAX_QUANTITY) are refused.

Every reading is a single left-to-right pass without regular expressions, so
the time taken grows with the length of the text and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import models

from portal.text import normalise

MAX_WON = 2**63 - 1  # PositiveBigIntegerField
MAX_QUANTITY = 2**31 - 1  # PositiveIntegerField
MAX_UNIT_LENGTH = 10  # the CharField that keeps a quantity's unit
# Enough for any amount of money and for the catalogue to say "too large" about
# bigger ones; longer numbers are refused before any arithmetic on them.
MAX_DIGITS = 40


class Per(models.TextChoices):
    """Whom or what an amount is counted per."""

    PERSON = "person", "인당"
    COMPANY = "company", "기업당"
    COURSE = "course", "과정당"
    YEAR = "year", "연"


SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
BIG_UNITS = {"만": 10**4, "억": 10**8, "조": 10**12}
HANGUL_DIGITS = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
ARABIC_DIGITS = frozenset("0123456789")
NUMERAL_LETTERS = frozenset({*SMALL_UNITS, *BIG_UNITS, *HANGUL_DIGITS, "원"})

PER_WORDS = {
    "인당": Per.PERSON,
    "1인당": Per.PERSON,
    "기업당": Per.COMPANY,
    "업체당": Per.COMPANY,
    "개소당": Per.COMPANY,
    "과정당": Per.COURSE,
    "교육과정": Per.COURSE,
    "연": Per.YEAR,
    "연간": Per.YEAR,
}
PER_LABELS = {per.value: per.label for per in Per}
MAX_WORDS = ("최대", "이내", "한도")
APPROX_WORDS = ("내외", "약", "정도", "안팎")
UNDECIDED_WORDS = ("미정", "추후", "별도")
LEADING_QUALIFIERS = ("최대", "약")
TRAILING_QUALIFIERS = ("이내", "한도", "내외", "정도", "안팎")
NO_AMOUNT = frozenset({"-", "–", "—"})

AMBIGUOUS_UNIT = "5천만원/1억원처럼 단위를 각각 적으세요"


class AmountError(ValueError):
    """The text looks like an amount but cannot be read as one."""


class AmountTooLarge(AmountError):
    """The amount reads, but is larger than the database can keep."""


@dataclass(frozen=True)
class Amount:
    text: str = ""
    won: int | None = None
    values: tuple[int, ...] = ()
    is_max: bool = False
    is_approx: bool = False
    per: str = ""
    quantity: int | None = None
    unit: str = ""
    undecided: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.text


def _shown(text: str, limit: int = 40) -> str:
    """Text quoted in a message, cut short so 10,000 pasted characters stay readable."""
    return f"'{text}'" if len(text) <= limit else f"'{text[:limit]}…'"


# --- figures: the number part of one amount ---------------------------------


@dataclass(frozen=True)
class _Figure:
    value: Fraction
    end: int  # where the figure stops in the text it was read from
    has_number: bool = False
    smallest_big_unit: int = 1  # the 만/억/조 that ends the figure, 1 if none
    has_big_unit: bool = False
    plain: bool = False  # Arabic digits only: a number of won, a count


def _read_arabic(text: str, start: int) -> tuple[Fraction, int, bool]:
    """One Arabic number at `start`: its value, where it ends, whether it has a decimal."""
    end = start
    while end < len(text) and (
        text[end] in ARABIC_DIGITS
        or (text[end] == "," and end + 1 < len(text) and text[end + 1] in ARABIC_DIGITS)
    ):
        end += 1
    integer = text[start:end]
    if "," in integer:
        head, *groups = integer.split(",")
        if not 1 <= len(head) <= 3 or any(len(group) != 3 for group in groups):
            raise AmountError(f"쉼표는 세 자리마다 찍습니다: {_shown(integer)} (예: 1,000,000원)")
    fraction = ""
    if end + 1 < len(text) and text[end] == "." and text[end + 1] in ARABIC_DIGITS:
        after = end + 1
        while after < len(text) and text[after] in ARABIC_DIGITS:
            after += 1
        fraction, end = text[end + 1 : after], after
    digits = integer.replace(",", "") + fraction
    if len(digits) > MAX_DIGITS:
        raise AmountTooLarge(f"숫자가 {MAX_DIGITS}자리를 넘습니다")
    return Fraction(int(digits), 10 ** len(fraction)), end, bool(fraction)


def _unit_overlap(unit_letter: str) -> AmountError:
    return AmountError(
        f"'{unit_letter}' 다음에 오는 수는 {unit_letter}보다 작아야 합니다 "
        "(예: 1억 5천만원, 8천7백만원)"
    )


def _read_figure(text: str, start: int = 0) -> _Figure:
    """Read numbers and units from `start` until something else begins.

    `section` is the part below the next 만/억/조, `pending` a number still waiting
    for its unit; each unit must be smaller than the one before it in its group.
    """
    total = section = Fraction(0)
    pending: Fraction | None = None
    last_big = last_small = ""
    section_has_figure = has_number = has_decimal = False
    plain = True
    position = start
    while position < len(text):
        letter = text[position]
        if letter in ARABIC_DIGITS or letter in HANGUL_DIGITS:
            if pending is not None:
                break  # "3일": the number has ended and a counting word begins
            if has_decimal:
                raise AmountError(
                    "소수는 마지막 숫자에만 쓸 수 있습니다 (예: 1.24억원, 1억 2천만원)"
                )
            if letter in ARABIC_DIGITS:
                pending, position, has_decimal = _read_arabic(text, position)
            else:
                pending, position, plain = Fraction(HANGUL_DIGITS[letter]), position + 1, False
            section_has_figure = has_number = True
        elif letter in SMALL_UNITS:
            term = (1 if pending is None else pending) * SMALL_UNITS[letter]
            if last_small and (
                SMALL_UNITS[letter] >= SMALL_UNITS[last_small] or term >= SMALL_UNITS[last_small]
            ):
                raise _unit_overlap(last_small)
            section += term
            last_small, pending, position = letter, None, position + 1
            section_has_figure = has_number = True
            plain = False
        elif letter in BIG_UNITS:
            if last_big and BIG_UNITS[letter] >= BIG_UNITS[last_big]:
                raise AmountError(
                    "큰 단위는 조, 억, 만 순서로 한 번씩만 씁니다 "
                    f"('{last_big}' 뒤에 '{letter}'; 예: 1억 5천만원)"
                )
            if not section_has_figure:
                raise AmountError(f"'{letter}' 앞에 숫자가 없습니다 (예: 1{letter}원)")
            if pending is not None and last_small and pending >= SMALL_UNITS[last_small]:
                raise _unit_overlap(last_small)
            term = (section + (pending or 0)) * BIG_UNITS[letter]
            if last_big and term >= BIG_UNITS[last_big]:
                raise _unit_overlap(last_big)
            total += term
            section, pending, last_small, last_big = Fraction(0), None, "", letter
            section_has_figure = False
            position += 1
            plain = False
        else:
            break
    if pending is not None:
        if last_small and pending >= SMALL_UNITS[last_small]:
            raise _unit_overlap(last_small)
        section += pending
    if last_big and section >= BIG_UNITS[last_big]:
        raise _unit_overlap(last_big)
    return _Figure(
        value=total + section,
        end=position,
        has_number=has_number,
        smallest_big_unit=BIG_UNITS[last_big] if last_big and not section_has_figure else 1,
        has_big_unit=bool(last_big),
        plain=plain and not has_decimal,
    )


def korean_number_to_won(text: str) -> int:
    """'8천7백만원' -> 87_000_000; '1.24억원' -> 124_000_000; '45000000' -> 45_000_000.

    Numbers beyond MAX_WON are returned (the catalogue names them as too large);
    numbers longer than MAX_DIGITS are refused before any arithmetic."""
    cleaned = normalise(text).replace(" ", "")
    if not cleaned:
        raise AmountError(f"금액이 비어 있습니다: {_shown(str(text))}")
    figure = _read_figure(cleaned)
    if not figure.has_number or cleaned[figure.end :] not in ("", "원"):
        raise AmountError(f"금액으로 읽을 수 없습니다: {_shown(cleaned)}")
    if figure.value.denominator != 1:
        raise AmountError(f"원 단위로 떨어지지 않는 금액입니다: {_shown(cleaned)}")
    return int(figure.value)


# --- parts: one amount or quantity between slashes ---------------------------


@dataclass(frozen=True)
class _Reading:
    kind: str  # "money", "bare" (a figure with no 원 and no big unit) or "quantity"
    figure: _Figure
    unit: str = ""
    is_range: bool = False


def _read_part(compact: str) -> _Reading:
    """One part with its spaces taken out: "1억5천만원", "2~3회", "5천"."""
    figure = _read_figure(compact)
    if not figure.has_number:
        raise AmountError("숫자가 없습니다")
    rest = compact[figure.end :]
    if rest in ("", "원"):
        kind = "money" if rest or figure.has_big_unit else "bare"
        return _Reading(kind, figure)
    if rest.startswith("원"):
        raise AmountError(f"금액 뒤에 다른 글자가 있습니다: {_shown(rest[1:])}")
    is_range = rest.startswith("~")
    if is_range:
        low, figure = figure, _read_figure(compact, figure.end + 1)
        rest = compact[figure.end :]
        if not (low.plain and figure.plain and figure.has_number) or rest in ("", "원"):
            raise AmountError("금액의 범위는 읽지 않습니다 (예: 최대 500만원, 2~3회)")
        if low.value > figure.value:
            raise AmountError("범위의 앞 수가 뒤 수보다 큽니다 (예: 2~3회)")
    if not rest.isalpha() or rest.startswith("원") or compact[0] not in ARABIC_DIGITS:
        # Hangul numerals count money only: "일이삼" is no quantity of 1 이삼.
        raise AmountError(f"수량 뒤에 읽을 수 없는 글자가 있습니다: {_shown(rest)} (예: 2식, 7개)")
    if len(rest) > MAX_UNIT_LENGTH:
        raise AmountError(f"수량 단위 {_shown(rest)}가 {MAX_UNIT_LENGTH}자를 넘습니다")
    if figure.value.denominator != 1:
        raise AmountError("수량은 정수여야 합니다 (예: 2식, 7개)")
    return _Reading("quantity", figure, unit=rest, is_range=is_range)


def _money_values(readings: list[_Reading], text: str) -> list[Fraction]:
    """Money in won for each money or bare part, lending a unit written once at
    the end ("1천/5천/3천/2천만원") to the bare parts before it when they fit."""
    bare = [reading for reading in readings if reading.kind == "bare"]
    lender = readings[-1] if readings[-1].kind == "money" and bare else None
    if lender is not None:
        unit = lender.figure.smallest_big_unit
        # Read with the lent unit, a list of like figures stays within ten times
        # of itself; "5천/1억원" would become 5천억 beside 1억.
        alike = [reading.figure.value * unit for reading in bare] + [lender.figure.value]
        alike = [value for value in alike if value] or [Fraction(0)]
        if max(alike) > 10 * min(alike):
            raise AmountError(
                f"{_shown(text)}: 단위가 끝에만 있어 앞 금액을 알 수 없습니다. {AMBIGUOUS_UNIT}"
            )
        return [
            reading.figure.value * (unit if reading.kind == "bare" else 1)
            for reading in readings
            if reading.kind != "quantity"
        ]
    has_big_unit = any(reading.figure.has_big_unit for reading in readings)
    for reading in bare:
        if reading.figure.plain and not has_big_unit:
            continue  # "45000000": a number of won
        if len(readings) == 1:
            raise AmountError(f"{_shown(text)}: 단위가 없습니다. 5천만원처럼 단위를 적으세요")
        raise AmountError(f"{_shown(text)}: 단위가 없는 금액이 있습니다. {AMBIGUOUS_UNIT}")
    return [reading.figure.value for reading in readings if reading.kind != "quantity"]


# --- words: per words, qualifiers, descriptions ------------------------------


@dataclass
class _Words:
    """What the words around the figures say, gathered while the parts are split."""

    per: str = ""
    is_max: bool = False
    is_approx: bool = False
    parts: list[tuple[str, str]] = field(default_factory=list)  # (as written, compact)

    def qualify(self, word: str) -> bool:
        if word in MAX_WORDS:
            self.is_max = True
        elif word in APPROX_WORDS:
            self.is_approx = True
        else:
            return False
        return True

    def strip_attached(self, word: str, at_start: bool) -> str:
        """Take qualifiers (and, first in the text, a per word) written against
        the figures off a word: "약500만원", "인당300만원", "500만원내외"."""
        leading = sorted(
            [*LEADING_QUALIFIERS, *(PER_WORDS if at_start else ())], key=len, reverse=True
        )
        index, found = 0, []
        while prefix := next((p for p in leading if word.startswith(p, index)), ""):
            found.append(prefix)
            index += len(prefix)
        if found and word[index : index + 1] in ARABIC_DIGITS:
            for prefix in found:
                if not self.qualify(prefix):
                    self.per = PER_WORDS[prefix].value
            word = word[index:]
        for suffix in TRAILING_QUALIFIERS:
            head = word[: -len(suffix)]
            if word.endswith(suffix) and head and _starts_an_amount(head):
                self.qualify(suffix)
                return head
        return word


def _starts_an_amount(word: str) -> bool:
    """Digits first, or letters that are all numerals and units ("천5백만원"), so
    that "사업비" stays a word although 사 is also four."""
    if word[0] in ARABIC_DIGITS:
        return True
    return word[0] in NUMERAL_LETTERS and all(
        letter in NUMERAL_LETTERS or not letter.isalpha() for letter in word
    )


def _split_words(text: str) -> _Words:
    words = _Words()
    at_start = True
    for written in text.split("/"):
        amount_words: list[str] = []
        described = False
        for word in written.split():
            if words.qualify(word):
                continue
            if at_start and word in PER_WORDS:
                words.per = PER_WORDS[word].value
                continue
            word = words.strip_attached(word, at_start)
            at_start = False
            if amount_words or _starts_an_amount(word):
                amount_words.append(word)
            elif word.isalpha():
                described = True  # "멘토링 2~3회": names what is counted
            else:
                raise AmountError(f"금액이나 수량으로 읽을 수 없습니다: {_shown(written.strip())}")
        if amount_words:
            words.parts.append((written.strip(), "".join(amount_words)))
        elif described:
            raise AmountError(f"금액이나 수량을 찾을 수 없습니다: {_shown(written.strip())}")
    if not words.parts:
        raise AmountError(f"금액이나 수량을 찾을 수 없습니다: {_shown(text)}")
    return words


# --- the whole cell ----------------------------------------------------------


def _amount_from_number(raw: int | float | Decimal) -> Amount:
    """A cell the sheet holds as a number of won."""
    won = raw if isinstance(raw, int) else Decimal(str(raw) if isinstance(raw, float) else raw)
    if isinstance(won, Decimal) and (not won.is_finite() or won != won.to_integral_value()):
        raise AmountError(f"금액은 0 이상의 원 단위 숫자여야 합니다: {raw!r}")
    if won < 0:
        raise AmountError(f"금액은 0 이상의 원 단위 숫자여야 합니다: {raw!r}")
    if won > MAX_WON:
        raise AmountTooLarge(f"금액이 너무 큽니다: {MAX_WON:,}원 이하여야 합니다")
    won = int(won)
    return Amount(text=f"{won:,}원", won=won, values=(won,))


def _check_limits(values: list[int], quantity: int | None) -> None:
    if values and max(values) > MAX_WON:
        raise AmountTooLarge(f"금액이 너무 큽니다: {MAX_WON:,}원 이하여야 합니다")
    if quantity is not None and quantity > MAX_QUANTITY:
        raise AmountTooLarge(f"수량이 너무 큽니다: {MAX_QUANTITY:,} 이하여야 합니다")


def parse_amount(raw: object) -> Amount:
    """Read one 지원규모/업체평균 cell. Raises AmountError for unreadable text
    and AmountTooLarge (an AmountError) for amounts the database cannot keep."""
    if raw is None:
        return Amount()
    if isinstance(raw, bool):
        raise AmountError(f"금액 칸에 참/거짓 값이 있습니다: {raw!r}")
    if isinstance(raw, int | float | Decimal):
        return _amount_from_number(raw)

    text = normalise(raw)
    if not text or text in NO_AMOUNT:
        return Amount()
    if any(word in text for word in UNDECIDED_WORDS):
        return Amount(text=text, undecided=True)

    words = _split_words(text)
    readings = []
    for written, compact in words.parts:
        try:
            readings.append(_read_part(compact))
        except AmountError as exc:
            message = f"금액이나 수량으로 읽을 수 없습니다: {_shown(written)} — {exc}"
            raise type(exc)(message) from None
    quantities = [reading for reading in readings if reading.kind == "quantity"]
    if len(quantities) > 1:
        raise AmountError(f"수량은 하나만 적을 수 있습니다: {_shown(text)} (예: 6억원/7개 내외)")
    money = _money_values(readings, text)
    if any(value.denominator != 1 for value in money):
        raise AmountError(f"원 단위로 떨어지지 않는 금액입니다: {_shown(text)}")
    values = [int(value) for value in money]
    quantity = int(quantities[0].figure.value) if quantities else None
    _check_limits(values, quantity)
    return Amount(
        text=text,
        won=max(values) if values else None,
        values=tuple(values),
        is_max=words.is_max or any(reading.is_range for reading in quantities),
        is_approx=words.is_approx,
        per=words.per,
        quantity=quantity,
        unit=quantities[0].unit if quantities else "",
    )


# --- how the portal writes amounts -------------------------------------------


def format_won(won: int | None) -> str:
    """45_000_000 -> '4,500만 원'; 150_000_000 -> '1억 5,000만 원'; 3_000 -> '3,000원'."""
    if won is None:
        return ""
    eok, rest = divmod(won, 10**8)
    man, won_rest = divmod(rest, 10**4)
    pieces = []
    if eok:
        pieces.append(f"{eok:,}억")
    if man:
        pieces.append(f"{man:,}만")
    if won_rest or not pieces:
        pieces.append(f"{won_rest:,}")
    return " ".join(pieces) + " 원" if (eok or man) else f"{won_rest:,}원"


def describe(amount: Amount) -> str:
    """The amount as the portal writes it: '인당 최대 300만 원', '6억 원 내외 · 7개'."""
    if amount.undecided:
        return "미정"
    pieces = []
    if amount.per:
        pieces.append(PER_LABELS[amount.per])
    if amount.is_max and amount.won is not None:
        pieces.append("최대")
    if len(amount.values) > 1:
        pieces.append(" / ".join(format_won(value) for value in amount.values))
    elif amount.won is not None:
        pieces.append(format_won(amount.won))
    if amount.is_approx:
        pieces.append("내외")
    money = " ".join(pieces)
    if amount.quantity is not None:
        qty = f"{amount.quantity:,}{amount.unit}"
        if amount.is_max and amount.won is None:
            qty = f"최대 {qty}"
        if amount.per == "year" and amount.won is None:
            qty = f"연 {qty}"
            money = ""
        return f"{money} · {qty}" if money else qty
    return money or amount.text
