"""Which addresses an alert subscription takes, and what it says about the rest."""

import pytest

from alerts.addresses import AddressError, clean_address


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("name@example.kr", "name@example.kr"),
        ("  Name.Family@Example.KR ", "name.family@example.kr"),
        ("first+alerts@mail.go.kr", "first+alerts@mail.go.kr"),
        # Typed with a Korean keyboard in full-width mode.
        ("ｎａｍｅ＠ｅｘａｍｐｌｅ．ｋｒ", "name@example.kr"),
        # A Korean domain is kept in the IDNA form every mail server reads.
        ("name@한국.kr", "name@xn--3e0b707e.kr"),
    ],
)
def test_it_accepts_one_plain_mailbox_and_stores_it_in_a_form_servers_read(typed, stored):
    assert clean_address(typed) == stored


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "입력해 주세요"),
        ("name@example.kr\r\nBcc: victim@example.kr", "줄바꿈"),
        ("name@exa\tmple.kr", "줄바꿈"),
        ("홍길동 <name@example.kr>", "주소 하나만"),
        ("a@example.kr, b@example.kr", "주소 하나만"),
        ('"john doe"@example.kr', "주소 하나만"),
        ("name.example.kr", "‘@’가 하나"),
        ("a@b@example.kr", "‘@’가 하나"),
        ("홍길동@example.kr", "영문, 숫자, 기호"),
        ("name@[10.0.0.1]", "IP 주소가 아닌 도메인"),
        ("name@localhost", "올바른 이메일 주소가 아닙니다"),
        ("name@example", "올바른 이메일 주소가 아닙니다"),
        ("name@-bad-.kr", "올바른 이메일 주소가 아닙니다"),
        ("x" * 65 + "@example.kr", "64자 이하"),
        ("name@" + "a" * 250 + ".kr", "254자 이하"),
    ],
)
def test_it_refuses_what_is_not_one_plain_mailbox_and_says_why_in_korean(typed, reason):
    with pytest.raises(AddressError) as refused:
        clean_address(typed)
    assert reason in str(refused.value)
