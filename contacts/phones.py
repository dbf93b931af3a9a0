"""Korean phone numbers as the plan writes them ("070-4267-5038", "1544-5077")."""

import phonenumbers


class PhoneError(ValueError):
    pass


def normalise_phone(raw: str) -> str:
    """Validate a Korean number and return it in E.164 ("+827042675038")."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "KR")
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(f"전화번호로 읽을 수 없습니다: {text!r}") from exc
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"유효한 국내 전화번호가 아닙니다: {text!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """'+827042675038' -> '070-4267-5038', as people in Korea write it."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "KR")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def tel_href(e164: str) -> str:
    """A tel: URI; nationwide numbers (1544-xxxx) only answer when dialled as written."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "KR")
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.UAN:
        return "tel:" + phonenumbers.national_significant_number(number)
    return f"tel:{e164}"
