"""The plan as open data (JSON, CSV) and as the yearly sheet (xlsx).

`program_to_dict` / `plan_to_dict` are the open-data contract documented in the
README (served at /programs.json and by `export_programs --format json`).
`write_xlsx` lays programs out exactly as the center's sheet (the writer is
`programs.sheet.write`, the same code that builds the shipped sheet), which is
what `programs.plan_import` reads, so an export imports back as
"0 created, 0 updated".

Every function takes `Program.objects.for_year(y).for_listing().in_sheet_order()`
and reads only what that queryset prefetched: no query per program.

Formula injection: CSV cells are made inert by `escape_formula` (a leading `'`).
In the xlsx every text cell is written with the explicit string type, which
Excel never evaluates, so the text stays exactly as typed and imports back
unchanged. JSON is data, not a spreadsheet, and is not escaped.
"""

from __future__ import annotations

import csv

from contacts.phones import display_phone
from programs.amounts import Amount
from programs.sheet.write import (
    default_title,
    escape_formula,
    sheet_name_for,
    sheet_sections,
    write_plan_workbook,
)


def write_xlsx(year: int, programs, stream_or_path, title: str | None = None) -> None:
    """The year's programs as the importable sheet. `title` defaults to the plan's
    title (one query) or "YYYY년 지원사업 추진일정"."""
    if title is None:
        from programs.models import Plan

        title = Plan.objects.filter(year=year).values_list("title", flat=True).first() or ""
    write_plan_workbook(
        stream_or_path, title or default_title(year), sheet_name_for(year), sheet_sections(programs)
    )


# --- open data --------------------------------------------------------------------


def amount_to_dict(amount: Amount) -> dict:
    """`won` is the largest amount of money in the text (null when there is none);
    `values` lists every amount when the cell gives several (1천/5천/3천/2천만원)."""
    return {
        "text": amount.text,
        "won": amount.won,
        "max": amount.is_max,
        "approx": amount.is_approx,
        "per": amount.per,
        "quantity": amount.quantity,
        "unit": amount.unit,
        "values": list(amount.values),
    }


def program_to_dict(program, base_url: str = "") -> dict:
    return {
        "id": program.pk,
        "url": base_url.rstrip("/") + program.get_absolute_url(),
        "year": program.area.plan_id,
        "section": program.area.section.name,
        "area": program.area.name,
        "name": program.name,
        "target": program.target,
        "eligibility": [tag.name for tag in program.eligibility.all()],
        "budget": amount_to_dict(program.budget),
        "per_company": amount_to_dict(program.per_company),
        "contacts": [
            {
                "organization": link.desk.organization,
                "team": link.desk.team,
                "phone": display_phone(link.desk.phone),
                "url": link.desk.url,
            }
            for link in program.contact_links.all()
        ],
        "milestones": [
            {
                "label": milestone.label,
                "start_month": milestone.start_month,
                "end_month": milestone.end_month,
                "kind": milestone.kind,
                "start_date": milestone.start_date.isoformat() if milestone.start_date else None,
                "end_date": milestone.end_date.isoformat() if milestone.end_date else None,
            }
            for milestone in program.milestones.all()
        ],
    }


def plan_to_dict(year: int, programs, base_url: str = "") -> dict:
    items = [program_to_dict(program, base_url) for program in programs]
    return {"year": year, "count": len(items), "programs": items}


CSV_AMOUNT_KEYS = ("text", "won", "max", "approx", "per", "quantity", "unit", "values")
CSV_COLUMNS = [
    "id", "url", "year", "section", "area", "name", "target", "eligibility",
    *(f"budget_{key}" for key in CSV_AMOUNT_KEYS),
    *(f"per_company_{key}" for key in CSV_AMOUNT_KEYS),
    "contacts", "milestones",
]  # fmt: skip


def _csv_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return escape_formula(value)


def _months(milestone: dict) -> str:
    start, end = milestone["start_month"], milestone["end_month"]
    return f"{start}월" if start == end else f"{start}~{end}월"


def write_csv(programs, stream, base_url: str = "") -> None:
    """One row per program, the JSON's fields flattened. Writes a UTF-8 BOM
    character first so Excel reads the Korean text: open the stream with
    encoding="utf-8" (not utf-8-sig), newline="". Lists are joined with "; "."""
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    for program in programs:
        data = program_to_dict(program, base_url)
        row = [data[key] for key in CSV_COLUMNS[:7]]
        row.append("; ".join(data["eligibility"]))
        for prefix in ("budget", "per_company"):
            amount = data[prefix]
            row.extend(amount[key] for key in CSV_AMOUNT_KEYS[:-1])
            row.append("; ".join(str(value) for value in amount["values"]))
        row.append(
            "; ".join(
                " ".join(
                    part for part in (c["organization"], c["team"], c["phone"], c["url"]) if part
                )
                for c in data["contacts"]
            )
        )
        row.append("; ".join(f"{_months(m)} {m['label']}" for m in data["milestones"]))
        writer.writerow([_csv_value(value) for value in row])
