"""A contact desk as one line of text, the way the plan's 문의처 cell writes it.

    parse_contact_line("신나는조합 협동조합팀 070-4870-5086")
        -> DeskSpec(organization="신나는조합", team="협동조합팀", phone="+827048705086")
    desk_line(desk) -> "신나는조합 협동조합팀 070-4870-5086"

One line is one desk: an organisation and/or a team, at most one phone number
and at most one web address. Phone numbers are found by libphonenumber, so
"(02) 2133-5000", "02.2133.5000" and "02 2133 5000" all read as +82221335000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from contacts.phones import PhoneError, display_phone, normalise_phone


@dataclass(frozen=True)
class DeskSpec:
    organization: str = ""
    team: str = ""
    phone: str = ""  # E.164
    url: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.organization, self.team, self.phone, self.url)

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.organization, self.team) if part)


# Words a contact line may carry that name neither the desk nor its number.
CONTACT_FILLER_WORDS = {"홈페이지", "누리집", "신청", "문의", "전화", "접수", "및"}
MAX_NAME_LENGTH = 100
MAX_URL_LENGTH = 200
# Possessive quantifiers throughout: a cell of 30,000 characters must not make
# any of these backtrack.
_TOKEN_SEPARATORS = re.compile(r"[\s,]++")
_PHONE_CHARACTERS = re.compile(r"[\d\-+().]++")
_THREE_DIGITS = re.compile(r"\d{3}")
_DOMAIN = re.compile(r"(?:https?://)?+(?:[A-Za-z0-9-]++\.)++[A-Za-z]{2,}+(?:[/?#]\S*+)?+")
_TEAM_SUFFIXES = ("팀", "실", "단")
_ORG_SUFFIXES = ("재단",)  # ends in 단, names an organisation
_validate_url = URLValidator(schemes=["http", "https"])


def parse_contact_line(line: str) -> DeskSpec:
    """'신나는조합 협동조합팀 070-4870-5086' -> organisation, team, phone;
    '1544-5077, 서울시협동조합지원센터 홈페이지 (seoulcoop.net) 신청' -> phone,
    organisation and https://seoulcoop.net. Raises ValueError with the reason."""
    phone, rest = _phone_in(line)
    organization, team = [], []
    url = ""
    for raw_token in _TOKEN_SEPARATORS.split(rest):
        token = raw_token.strip("()[]<>·;:")
        if not token or token in CONTACT_FILLER_WORDS:
            continue
        if _DOMAIN.fullmatch(token) and not token.replace(".", "").isdigit():
            if url:
                raise ValueError("한 줄에 웹 주소가 둘입니다 (expected 한 줄에 문의처 하나)")
            url = _web_address(token)
        elif _PHONE_CHARACTERS.fullmatch(token) and _THREE_DIGITS.search(token):
            raise ValueError(f"전화번호 '{token}'를 읽을 수 없습니다")
        elif token.endswith(_TEAM_SUFFIXES) and not token.endswith(_ORG_SUFFIXES):
            team.append(token)
        else:
            organization.append(token)
    desk = DeskSpec(" ".join(organization), " ".join(team), phone, url)
    if len(desk.organization) > MAX_NAME_LENGTH or len(desk.team) > MAX_NAME_LENGTH:
        raise ValueError(f"기관이나 팀 이름이 {MAX_NAME_LENGTH}자를 넘습니다")
    return desk


def _phone_in(line: str) -> tuple[str, str]:
    """The line's one phone number in E.164, and the line without it."""
    found = [match.raw_string for match in phonenumbers.PhoneNumberMatcher(line, "KR")]
    if len(found) > 1:
        raise ValueError(f"한 줄에 전화번호가 {len(found)}개입니다 (expected 한 줄에 문의처 하나)")
    if not found:
        return "", line
    written = found[0]
    invalid = f"전화번호 '{written}'가 유효한 국내 번호가 아닙니다"
    try:
        phone = normalise_phone(written)
    except PhoneError:
        raise ValueError(invalid) from None
    # The matcher also knows other countries' numbers; the plan lists desks in Korea.
    if phonenumbers.region_code_for_number(phonenumbers.parse(phone)) != "KR":
        raise ValueError(invalid)
    return phone, line.replace(written, " ", 1)


def _web_address(token: str) -> str:
    url = token if token.lower().startswith(("http://", "https://")) else f"https://{token}"
    try:
        _validate_url(url)
    except ValidationError:
        raise ValueError(f"웹 주소 '{token}'가 올바르지 않습니다") from None
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"웹 주소가 {MAX_URL_LENGTH}자를 넘습니다")
    return url


def desk_line(desk) -> str:
    """A desk as one line of the 문의처 cell, which `parse_contact_line` reads back as it."""
    parts = (desk.organization, desk.team, display_phone(desk.phone), desk.url)
    return " ".join(part for part in parts if part)
