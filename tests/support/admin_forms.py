"""The admin's program change form as a browser would post it, every inline row
included, so a test changes only what it means to change."""


def _inline_rows(data: dict, prefix: str, program, rows, fields: tuple[str, ...]) -> None:
    data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = len(rows)
    for i, row in enumerate(rows):
        data[f"{prefix}-{i}-id"] = row.pk
        data[f"{prefix}-{i}-program"] = program.pk
        for name in fields:
            # serializable_value gives a foreign key's id, as the form's select posts it.
            data[f"{prefix}-{i}-{name}"] = row.serializable_value(name)


def program_form(program, **overrides) -> dict:
    """The change form of `program` as it stands, with `overrides` applied."""
    data = {
        "area": program.area_id,
        "name": program.name,
        "position": program.position,
        "target": program.target,
        "eligibility": [tag.pk for tag in program.eligibility.all()],
        "budget_text": program.budget_text,
        "per_company_text": program.per_company_text,
        "amounts_confirmed": "on" if program.amounts_confirmed else "",
        "summary": program.summary,
        "link": program.link,
    }
    milestones = list(program.milestones.order_by("start_month"))
    _inline_rows(data, "milestones", program, milestones, ("label", "start_month", "end_month"))
    links = list(program.contact_links.order_by("position"))
    _inline_rows(data, "contact_links", program, links, ("desk", "position"))
    data.update(overrides)
    return data
