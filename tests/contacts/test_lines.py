"""One line of the plan's 문의처 cell is one contact desk: an organisation or a
team, at most one phone number however it is written, at most one web address.
Anything else is refused with the reason, quickly, whatever the line holds."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from contacts.lines import DeskSpec, desk_line, parse_contact_line


def read(line: str) -> tuple[str, str, str, str]:
    return parse_contact_line(line).key


@pytest.mark.parametrize(
    ("line", "desk"),
    [
        ("판로지원팀 070-4267-5044", ("", "판로지원팀", "+827042675044", "")),
        ("공공구매영업지원단 070-4270-3942", ("", "공공구매영업지원단", "+827042703942", "")),
        (
            "서울시협동조합지원센터 070-4168-8323",
            ("서울시협동조합지원센터", "", "+827041688323", ""),
        ),
        ("신나는조합 협동조합팀 070-4870-5086", ("신나는조합", "협동조합팀", "+827048705086", "")),
        (
            "1544-5077, 서울시협동조합지원센터 홈페이지 (seoulcoop.net) 신청",
            ("서울시협동조합지원센터", "", "+8215445077", "https://seoulcoop.net"),
        ),
        ("함께일하는재단 02-383-8324", ("함께일하는재단", "", "+8223838324", "")),
        ("https://sehub.net/rent?id=3", ("", "", "", "https://sehub.net/rent?id=3")),
    ],
)
def test_a_contact_line_reads_as_one_desk(line, desk):
    assert read(line) == desk


@pytest.mark.parametrize(
    "written", ["(02) 2133-5000", "02.2133.5000", "02 2133 5000", "02-2133-5000", "+82 2 2133 5000"]
)
def test_a_seoul_number_reads_the_same_however_it_is_written(written):
    assert read(f"사회적경제과 {written}") == ("사회적경제과", "", "+82221335000", "")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("판로지원팀 070-4267-5044, 070-4267-5045", "한 줄에 전화번호가 2개입니다"),
        ("판로지원팀 (02) 2133-5000, 02.2133.5001", "한 줄에 전화번호가 2개입니다"),
        ("판로지원팀 070-4267-50", "전화번호 '070-4267-50'를 읽을 수 없습니다"),
        (
            "판로지원팀 +1 650-253-0000",
            "전화번호 '\\+1 650-253-0000'가 유효한 국내 번호가 아닙니다",
        ),
        ("판로지원팀 a.kr b.kr", "한 줄에 웹 주소가 둘입니다"),
        ("판로지원팀 -bad-.kr", "웹 주소 '-bad-.kr'가 올바르지 않습니다"),
        ("가" * 101, "기관이나 팀 이름이 100자를 넘습니다"),
    ],
)
def test_a_contact_line_that_is_not_one_desk_is_refused(line, reason):
    with pytest.raises(ValueError, match=reason):
        parse_contact_line(line)


@pytest.mark.parametrize(
    "desk",
    [
        DeskSpec("신나는조합", "협동조합팀", "+827048705086", ""),
        DeskSpec("서울시협동조합지원센터", "", "+8215445077", "https://seoulcoop.net"),
        DeskSpec("", "판로지원팀", "+82221335000", ""),
        DeskSpec("", "", "", "https://sehub.net/rent?id=3"),
    ],
)
def test_a_desk_written_as_a_line_reads_back_as_the_same_desk(desk):
    assert parse_contact_line(desk_line(desk)) == desk


LINE_PIECES = st.one_of(
    st.text(max_size=30),
    st.text("0123456789-.()+ ", max_size=60),
    st.builds(str.__mul__, st.sampled_from("0123456789.-"), st.integers(1, 30_000)),
    st.from_regex(r"\(?0[1-9]{1,2}\)?[ .\-]?[0-9]{3,4}[ .\-]?[0-9]{4}", fullmatch=True),
    st.from_regex(r"(https?://)?([a-z0-9\-]{1,12}\.){1,4}[a-z]{2,5}(/\S{0,20})?", fullmatch=True),
    st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), max_size=12),
)


@settings(max_examples=300, deadline=2000)
@given(st.lists(LINE_PIECES, max_size=6).map(" ".join))
@example("1" * 30_000 + "x")
@example("팀 " + "0" * 30_000)
@example("a." * 15_000 + "!")
@example("팀 " + "(02) 2133-5000 " * 2_000)
@example("1-" * 15_000 + "x")
def test_any_line_is_one_desk_or_a_reason_and_never_slow(line):
    try:
        desk = parse_contact_line(line)
    except ValueError as refusal:
        assert str(refusal)
        return
    assert len(desk.organization) <= 100 and len(desk.team) <= 100 and len(desk.url) <= 200
    assert desk.phone == "" or desk.phone.startswith("+82")
