"""What the shipped 2019 sheet says, worked out by hand from its text, for tests
that hold a page or a download to the plan rather than to the view's own data."""

# 지원대상 naming 협동조합 (not only 예비): 상담 (수시, all year), 경영개선아카데미
# (no months), 한해살이맞춤교육 (교육진행 after the notice, to year end),
# 맞춤형 성장지원 / 협업모델 / 전략모델 / 작은 행사 (사업수행 4~11월), 제도개선
# (토론회 4/10월). All but 경영개선아카데미 have April; in sheet order.
COOPERATIVES_IN_APRIL = [
    "전화/내방/맞춤형/기획상담",
    "한해살이맞춤교육",
    "맞춤형 성장지원",
    "협업모델 지원",
    "전략모델 지원",
    "작은 행사 지원",
    "제도개선",
]
