"""Read the calendar page's table back the way a person (or a screen reader)
would: which program row, which month columns, what text. Tests compare this
with the plan as written in the sheet, never with the view's own data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    tag: str
    attrs: dict
    text: str = ""
    link_text: str = ""
    link_href: str = ""

    @property
    def colspan(self) -> int:
        return int(self.attrs.get("colspan", 1))

    @property
    def rowspan(self) -> int:
        return int(self.attrs.get("rowspan", 1))

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


@dataclass
class Table:
    caption: str = ""
    head: list[list[Cell]] = field(default_factory=list)
    bodies: list[list[list[Cell]]] = field(default_factory=list)
    scroll_region: dict = field(default_factory=dict)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.region: dict = {}
        self._table: Table | None = None
        self._rows: list | None = None
        self._cell: Cell | None = None
        self._in_caption = False
        self._in_link = False
        self._hidden_depth = 0  # inside aria-hidden="true": not part of the read text

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("role") == "region" and self._table is None:
            self.region = attrs
        if tag == "table":
            self._table = Table(scroll_region=self.region)
        elif self._table is None:
            return
        elif tag == "caption":
            self._in_caption = True
        elif tag == "thead":
            self._rows = self._table.head
        elif tag == "tbody":
            self._table.bodies.append([])
            self._rows = self._table.bodies[-1]
        elif tag == "tr":
            self._rows.append([])
        elif tag in ("th", "td"):
            self._cell = Cell(tag, attrs)
            self._rows[-1].append(self._cell)
        elif tag == "a" and self._cell is not None and not self._cell.link_href:
            self._cell.link_href = attrs.get("href", "")
            self._in_link = True
        if self._hidden_depth or attrs.get("aria-hidden") == "true":
            self._hidden_depth += 1

    def handle_endtag(self, tag):
        if self._hidden_depth:
            self._hidden_depth -= 1
        if tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        elif tag == "caption":
            self._in_caption = False
        elif tag == "a":
            self._in_link = False
        elif tag in ("th", "td"):
            if self._cell is not None:
                self._cell.text = " ".join(self._cell.text.split())
                self._cell.link_text = " ".join(self._cell.link_text.split())
            self._cell = None

    def handle_data(self, data):
        if self._table is None or self._hidden_depth:
            return
        if self._in_caption:
            self._table.caption += data
        elif self._cell is not None:
            self._cell.text += data
            if self._in_link:
                self._cell.link_text += data


def read_table(html: str) -> Table:
    reader = _Reader()
    reader.feed(html)
    table = reader.tables[0]
    table.caption = " ".join(table.caption.split())
    return table


@dataclass
class ProgramRow:
    name: str
    area: str
    section: str
    # (start month, span, text) for every milestone cell, all lanes together
    milestones: list[tuple[int, int, str]] = field(default_factory=list)
    # (start month, span) for every cell that says "일정 없음", all lanes together
    empty_stretches: list[tuple[int, int]] = field(default_factory=list)
    # Per lane, what each cell in turn is: "milestone" or "empty"
    lane_cells: list[list[str]] = field(default_factory=list)
    lanes: int = 1
    header: Cell | None = None

    @property
    def empty_months(self) -> int:
        return sum(span for _, span in self.empty_stretches)


def program_rows(table: Table) -> list[ProgramRow]:
    """Rows per program in page order, with the area and section above them."""
    rows: list[ProgramRow] = []
    section = area = ""
    for body in table.bodies:
        for tr in body:
            first = tr[0]
            if first.tag == "td" and first.colspan == 13:
                section = _strip_count(first.text)
                continue
            if first.tag == "th" and first.attrs.get("scope") == "rowgroup":
                area = _strip_count(first.text)
                continue
            if first.tag == "th" and first.attrs.get("scope") == "row":
                current = ProgramRow(name=first.link_text, area=area, section=section, header=first)
                current.lanes = first.rowspan
                rows.append(current)
                cells = tr[1:]
            else:
                cells = tr
            month = 1
            rows[-1].lane_cells.append([])
            for cell in cells:
                if cell.text == "일정 없음":
                    rows[-1].empty_stretches.append((month, cell.colspan))
                    rows[-1].lane_cells[-1].append("empty")
                else:
                    rows[-1].milestones.append((month, cell.colspan, cell.text))
                    rows[-1].lane_cells[-1].append("milestone")
                month += cell.colspan
            assert month == 13, f"{rows[-1].name}: cells cover {month - 1} months"
    return rows


def _strip_count(text: str) -> str:
    """Drop the trailing "3개", "12개 사업" count from a heading."""
    return re.sub(r"\s*\d+개( 사업)?$", "", text).strip()
