"""What an alert subscription accepts as an e-mail address.

Django's EmailValidator decides whether an address is well formed. On top of
it, anything that looks like more than one plain mailbox is refused, because a
digest goes out by itself, daily, and must reach the one person who asked:

- control characters (CR/LF above all: a line break in an address is how mail
  headers are injected);
- display names and lists ("홍길동 <a@b.kr>", "a@b.kr, c@d.kr"), quoted local
  parts and spaces: the form asks for an address, nothing else;
- a non-ASCII local part ("홍길동@b.kr"): it needs SMTPUTF8, which many Korean
  mail servers still refuse, so the confirmation could never arrive;
- a domain literal ("a@[10.0.0.1]") or a bare host ("a@localhost"): not a
  mailbox anyone in the public has;
- a non-ASCII domain that cannot be written in IDNA. One that can ("a@한국.kr")
  is accepted and stored in its ASCII form ("a@xn--3e0b707e.kr"), which every
  server understands.

Full-width characters typed on a Korean keyboard ("ａ＠ｂ．ｋｒ") are read as
their ASCII forms (NFKC) first. Addresses are stored in lower case: the same
mailbox written twice is one subscriber.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

MAX_LENGTH = 254  # RFC 5321: the longest path is 256 octets including < >
MAX_LOCAL_LENGTH = 64
_VALIDATOR = EmailValidator(allowlist=[])


class AddressError(ValueError):
    """The reason, in Korean, ready to show under the field."""


def clean_address(raw: str) -> str:
    """The address to store, or AddressError saying what is wrong with it."""
    raw = raw or ""
    if any(unicodedata.category(char) == "Cc" for char in raw.strip()):
        raise AddressError("줄바꿈이나 제어 문자가 들어 있습니다. 주소만 한 줄로 적어 주세요.")
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise AddressError("이메일 주소를 입력해 주세요.")
    if len(text) > MAX_LENGTH:
        raise AddressError(f"주소가 너무 깁니다. {MAX_LENGTH}자 이하로 적어 주세요.")
    if any(char in text for char in ' <>",;()'):
        raise AddressError("이름이나 여러 주소 없이 주소 하나만 적어 주세요(예: name@example.kr).")
    if text.count("@") != 1:
        raise AddressError("‘@’가 하나 들어간 주소를 적어 주세요(예: name@example.kr).")
    local, domain = text.split("@")
    if not local.isascii():
        raise AddressError("‘@’ 앞부분은 영문, 숫자, 기호로만 적어 주세요.")
    if len(local) > MAX_LOCAL_LENGTH:
        raise AddressError(f"‘@’ 앞부분이 너무 깁니다({MAX_LOCAL_LENGTH}자 이하).")
    if domain.startswith("["):
        raise AddressError("‘@’ 뒤에는 IP 주소가 아닌 도메인(예: example.kr)을 적어 주세요.")
    try:
        domain = domain.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        raise AddressError("‘@’ 뒤의 도메인을 읽을 수 없습니다(예: example.kr).") from None
    address = f"{local}@{domain}".lower()
    try:
        _VALIDATOR(address)
    except ValidationError:
        raise AddressError("올바른 이메일 주소가 아닙니다(예: name@example.kr).") from None
    if len(address) > MAX_LENGTH:
        raise AddressError(f"주소가 너무 깁니다. {MAX_LENGTH}자 이하로 적어 주세요.")
    return address
