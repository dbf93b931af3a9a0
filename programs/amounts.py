"""Parse the amounts written in the yearly plan (지원규모, 업체평균).

The sheet holds what staff type: "4.5천만원", "8천7백만원", "1억 5천만원",
"인당 최대 300만원", "6억원/7개 내외", "1천/5천/3천/2천만원", "2식", "연 32회",
"미정" or a plain number of won. Written here rather than taken from PyPI:
the Korean-number packages there read "천만" or decimal prefixes such as
"4.5천만" wrongly and know nothing of 최대/내외/인당 or of quantities, so they
would give wrong money figures on a public page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

SMALL_UNITS = {"십": 10, "백": 100, "천": 1000}
BIG_UNITS = {"만": 10**4, "억": 10**8, "조": 10**12}

# Words that say whom or what the amount is counted per.
PER_WORDS = {
    "인당": "person",
    "1인당": "person",
    "기업당": "company",
    "업체당": "company",
    "개소당": "company",
    "과정당": "course",
    "교육과정": "course",
    "연": "year",
    "연간": "year",
}
MAX_WORDS = ("최대", "이내", "한도")
APPROX_WORDS = ("내외", "약", "정도", "안팎")
UNDECIDED_WORDS = ("미정", "추후", "별도")

_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_MONEY_PART = re.compile(
    rf"^(?:{_NUMBER}\s*[십백천]?\s*)+(?:[만억조]\s*(?:{_NUMBER}\s*[십백천]?\s*)*)*원?$"
)
_BARE_SMALL = re.compile(rf"^(?:{_NUMBER}\s*[십백천]?\s*)+$")
_QUANTITY = re.compile(r"^(\d[\d,]*)(?:\s*~\s*(\d[\d,]*))?\s*([가-힣A-Za-z]+)$")
_TOKEN = re.compile(rf"({_NUMBER})\s*([십백천])?|([만억조])")


class AmountError(ValueError):
    """The text looks like an amount but cannot be read as one."""


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


def korean_number_to_won(text: str) -> int:
    """'8천7백만원' -> 87_000_000; '1.24억원' -> 124_000_000; '45000000' -> 45_000_000."""
    cleaned = text.replace(" ", "").removesuffix("원")
    if not cleaned:
        raise AmountError(f"금액이 비어 있습니다: {text!r}")
    total = Decimal(0)
    pending = Decimal(0)  # the part below the next 만/억/조
    position = 0
    for match in _TOKEN.finditer(cleaned):
        if match.start() != position:
            raise AmountError(f"금액으로 읽을 수 없습니다: {text!r}")
        position = match.end()
        number, small, big = match.groups()
        if big:
            if pending == 0:
                pending = Decimal(1)
            total += pending * BIG_UNITS[big]
            pending = Decimal(0)
            continue
        try:
            value = Decimal(number.replace(",", ""))
        except InvalidOperation:
            raise AmountError(f"금액으로 읽을 수 없습니다: {text!r}") from None
        pending += value * SMALL_UNITS.get(small or "", 1)
    if position != len(cleaned):
        raise AmountError(f"금액으로 읽을 수 없습니다: {text!r}")
    total += pending
    if total != total.to_integral_value():
        raise AmountError(f"원 단위로 떨어지지 않는 금액입니다: {text!r}")
    return int(total)


def _strip_words(text: str, words: tuple[str, ...]) -> tuple[str, bool]:
    found = False
    for word in words:
        if word in text:
            text = text.replace(word, " ")
            found = True
    return text, found


def parse_amount(raw: object) -> Amount:
    """Read one 지원규모/업체평균 cell. Raises AmountError for unreadable text."""
    if raw is None:
        return Amount()
    if isinstance(raw, bool):
        raise AmountError(f"금액 칸에 참/거짓 값이 있습니다: {raw!r}")
    if isinstance(raw, int | float | Decimal):
        won = Decimal(str(raw))
        if won < 0 or won != won.to_integral_value():
            raise AmountError(f"금액은 0 이상의 원 단위 숫자여야 합니다: {raw!r}")
        return Amount(text=f"{int(won):,}원", won=int(won), values=(int(won),))

    text = " ".join(str(raw).split())
    if not text or text in {"-", "–", "—"}:
        return Amount()
    if any(word in text for word in UNDECIDED_WORDS):
        return Amount(text=text, undecided=True)

    rest, is_max = _strip_words(text, MAX_WORDS)
    rest, is_approx = _strip_words(rest, APPROX_WORDS)
    per = ""
    words = rest.split()
    while words and words[0] in PER_WORDS:
        per = PER_WORDS[words.pop(0)]
    rest = " ".join(words)

    values: list[int] = []
    quantity: int | None = None
    unit = ""
    parts = [part.strip() for part in rest.split("/") if part.strip()]
    if not parts:
        raise AmountError(f"금액이나 수량을 찾을 수 없습니다: {text!r}")

    # "1천/5천/3천/2천만원": bare parts borrow the 만원 that only the last one carries.
    suffix = re.search(r"[만억조]원?$", parts[-1].replace(" ", ""))
    money_suffix = suffix.group() if suffix else ""

    for part in parts:
        # A leading description such as "멘토링 2~3회" names what is counted.
        compact = re.sub(r"^(?:[가-힣]+\s+)+(?=\d)", "", part).replace(" ", "")
        if money_suffix and _BARE_SMALL.match(compact):
            values.append(korean_number_to_won(compact + money_suffix))
        elif _MONEY_PART.match(compact) and (
            re.search(r"[만억조원]", compact) or compact.isdigit()
        ):
            values.append(korean_number_to_won(compact))
        elif match := _QUANTITY.match(compact):
            low, high, unit = match.groups()
            if high:
                quantity, is_max = int(high.replace(",", "")), True
            else:
                quantity = int(low.replace(",", ""))
        else:
            raise AmountError(f"금액이나 수량으로 읽을 수 없습니다: {part!r} (전체: {text!r})")

    return Amount(
        text=text,
        won=max(values) if values else None,
        values=tuple(values),
        is_max=is_max,
        is_approx=is_approx,
        per=per,
        quantity=quantity,
        unit=unit,
    )


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


PER_LABELS = {"person": "인당", "company": "기업당", "course": "과정당", "year": "연"}


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
