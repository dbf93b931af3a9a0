"""Whatever text people put in the sheet's cells, vetting and reading it ends in
a plan or in a refusal listing each problem with its file, sheet and cell:
never another exception, never minutes of work.

Hypothesis fills every cell of the plan's layout with random text: long runs
of digits, Hangul, punctuation, phone numbers and web addresses written many
ways, amounts, numbers, line breaks and anything else a cell may hold."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from programs.sheet.layout import ImportFailed
from programs.sheet.read import read_workbook
from programs.sheet.vet import vet_file
from programs.sheet.write import SheetArea, SheetProgram, SheetSection
from tests.support.xlsx_helpers import plan_workbook, workbook_bytes

# Control characters cannot be written to an .xlsx (XML 1.0 forbids them).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40)
HANGUL = st.text(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=12)
DIGIT_RUNS = st.one_of(
    st.builds(
        lambda digit, count: digit * count, st.sampled_from("0123456789"), st.integers(1, 5000)
    ),
    st.text("0123456789", min_size=1, max_size=300),
    st.text("0123456789-.() ", min_size=1, max_size=300),
)
PUNCTUATION = st.text(
    st.sampled_from(list("()[]<>.,;:·-~/+=*&%$#@!?'\"\\|^_`{} ※～（）　")), max_size=20
)
PHONES = st.one_of(
    st.from_regex(r"\(?0[1-9]{1,2}\)?[ .\-]?[0-9]{3,4}[ .\-]?[0-9]{4}", fullmatch=True),
    st.from_regex(r"\+82[ \-]?[1-9]{1,2}[ \-]?[0-9]{3,4}[ \-]?[0-9]{4}", fullmatch=True),
    st.from_regex(r"1[0-9]{3}-?[0-9]{4}", fullmatch=True),
)
ADDRESSES = st.from_regex(
    r"(https?://)?[a-z0-9\-]{1,15}(\.[a-z]{2,6}){1,3}(/[a-z0-9?=&#%\-]{0,20})?", fullmatch=True
)
AMOUNTS = st.sampled_from(
    ["4.5천만원", "인당 최대 300만원", "6억원/7개 내외", "2식", "미정", "1천/5천/3천/2천만원",
     "연 32회", "99999999999개", "1억 5천만원", "멘토링 2~3회", "약500만원"]
)  # fmt: skip
PIECES = st.one_of(ANY_TEXT, HANGUL, DIGIT_RUNS, PUNCTUATION, PHONES, ADDRESSES, AMOUNTS)
CELL_TEXT = st.lists(
    st.tuples(PIECES, st.sampled_from(["", " ", "\n", ", ", "/", "  \n  "])), max_size=5
).map(lambda parts: "".join(piece + separator for piece, separator in parts))
AMOUNT_CELL = st.one_of(
    CELL_TEXT,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
)


# Cells as people mean them, so that many sheets read through to the end.
NAMES = st.one_of(HANGUL, st.builds("{} 지원사업 {}".format, HANGUL, DIGIT_RUNS))
CONTACT_LINES = st.one_of(
    st.builds("{}팀 {}".format, HANGUL, PHONES),
    st.builds("{} {} {}".format, HANGUL, PHONES, ADDRESSES),
    ADDRESSES,
)
CONTACTS = st.lists(CONTACT_LINES, min_size=1, max_size=3).map("\n".join)


@st.composite
def programs(draw) -> SheetProgram:
    milestones = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(1, 12))
        milestones.append((draw(CELL_TEXT | HANGUL), start, draw(st.integers(start, 12))))
    return SheetProgram(
        name=draw(CELL_TEXT | NAMES),
        target=draw(CELL_TEXT),
        budget=draw(AMOUNT_CELL | AMOUNTS),
        per_company=draw(AMOUNT_CELL | AMOUNTS),
        contacts=draw(CELL_TEXT | CONTACTS),
        milestones=milestones,
    )


PLANS = st.builds(
    lambda section, area, members: [SheetSection(section, [SheetArea(area, members)])],
    CELL_TEXT | HANGUL,
    CELL_TEXT | HANGUL,
    st.lists(programs(), min_size=1, max_size=3),
)


@settings(max_examples=120, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(title=CELL_TEXT, sections=PLANS)
def test_any_cell_text_reads_as_a_plan_or_a_refusal_naming_each_cell(title, sections):
    data = workbook_bytes(plan_workbook(sections, title=f"2019년 {title}"))
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "plan.xlsx"
        path.write_bytes(data)
        try:
            plans, _ = read_workbook(vet_file(path), None, None)
        except ImportFailed as failure:
            event("refused")
            assert failure.errors
            assert all(error.startswith("plan.xlsx: 2019년 추진일정") for error in failure.errors)
            return
    event("read")
    # What was read fits the database's columns.
    for program in plans[0].programs:
        assert 0 < len(program.name) <= 200
        assert 0 < len(program.area) <= 100
        assert len(program.budget.text) <= 100 and len(program.per_company.text) <= 100
        assert all(
            len(desk.organization) <= 100 and len(desk.team) <= 100 for desk in program.desks
        )
        assert all(0 < len(label) <= 200 for label, _, _ in program.milestones)
