"""Normalised eligibility tags read from the 지원대상 text.

The sheet writes eligibility as prose ("서울시민, (예비)협동조합",
"마을기업 지정을 희망하는 법인"); the catalogue filters on these tags.
The vocabulary is created by a data migration; editors may add tags in the admin
and correct a program's tags by hand (an import re-derives them from the text).
"""

from portal.text import compact as compact_text

# (code, label, patterns searched in the text with spaces removed), in filter order.
VOCABULARY: list[tuple[str, str, tuple[str, ...]]] = [
    ("social-economy-enterprise", "사회적경제기업", ("사회적경제기업",)),
    (
        "social-economy-organization",
        "사회적경제조직",
        ("사회적경제조직", "사회적경제부문", "개인및조직"),
    ),
    ("cooperative", "협동조합", ("(예비)협동조합", "기본법협동조합", "서울시협동조합")),
    ("pre-cooperative", "예비협동조합", ("예비협동조합", "(예비)협동조합", "예비(사회적)협동조합")),
    ("social-cooperative", "사회적협동조합", ("사회적협동조합", "(사회적)협동조합")),
    ("village-enterprise", "마을기업", ("마을기업",)),
    ("citizen", "서울시민", ("서울시민", "개인")),
    ("district", "자치구", ("자치구",)),
    ("public-official", "공무원", ("공무원",)),
    ("research", "연구기관", ("연구기관",)),
    ("institution", "기관·법인·단체", ("기관,법인", "법인", "단체", "지원기관")),
    ("association", "협의회·연합회", ("협의회", "연합회", "협의/연합회", "컨소시움", "컨소시엄")),
]


def eligibility_codes(target: str) -> list[str]:
    """Tag codes for a 지원대상 text, in vocabulary order."""
    compact = compact_text(target)
    codes = []
    for code, _label, patterns in VOCABULARY:
        if any(pattern in compact for pattern in patterns):
            codes.append(code)
    return codes
