"""Programs of the 2019 sheet as several test files build them by hand, and
numbered filler programs for the tests that a page costs the same queries
however many programs a plan has. Each takes the `make_program` fixture."""

from programs.amounts import parse_amount

PHONE = "+827041688536"

MARKET_ENTRY = {
    "section": "서울시사회적경제지원센터 지원사업",
    "area": "민간판로 지원",
    "target": "서울시 사회적경제기업",
    "eligibility": ["social-economy-enterprise"],
    "contacts": [("", "판로지원팀", "+827042675038")],
}

STARTUP_CONSULTING = {
    "area": "컨설팅",
    "target": "서울시 예비협동조합",
    "eligibility": ["pre-cooperative"],
    "milestones": [("공고/접수/선정", 3, 3), ("사업수행(4~6월)", 4, 6)],
    "contacts": [("서울시협동조합지원센터", "", PHONE)],
}


def market_entry(make_program, milestones, **fields):
    """유통채널 입점지원: 판로지원팀's program of up to 7천만원 a company out of
    1.24억원, with the `milestones` a test needs."""
    program = make_program(
        "유통채널 입점지원", **{**MARKET_ENTRY, "milestones": milestones, **fields}
    )
    program.per_company = parse_amount("최대 7천만원")
    program.budget = parse_amount("1.24억원")
    program.save()
    return program


def startup_consulting(make_program, **fields):
    """창업컨설팅: for 예비협동조합, applications in March, the work April to June."""
    return make_program("창업컨설팅", **{**STARTUP_CONSULTING, **fields})


COOPERATIVE_ROUTINE = {
    "eligibility": ["cooperative"],
    "milestones": [("공고/접수", 3, 3), ("사업수행", 4, 11)],
}


def numbered_programs(
    make_program, count, *, name="사업", areas=0, teams=0, desk=("", PHONE), **fields
):
    """Programs "{name} 0" to "{name} count-1", spread over `areas` areas and
    `teams` contact teams (one team each when 0) so that every relation a page
    reads grows with them. Unless told otherwise, each is for cooperatives,
    taking applications in March and running April to November."""
    organization, phone = desk
    fields = {**COOPERATIVE_ROUTINE, **fields}
    programs = []
    for number in range(count):
        if areas:
            fields["area"] = f"분야 {number % areas}"
        team = f"팀 {number % teams if teams else number}"
        programs.append(
            make_program(f"{name} {number}", contacts=[(organization, team, phone)], **fields)
        )
    return programs
