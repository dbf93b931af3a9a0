"""Vet an uploaded workbook before openpyxl reads it.

    vetted = vet_file(path)  # raises ImportFailed naming the file (and sheet)

In this order, each step bounded by the ones before it:

1. Size, zip magic, the declared sizes and ratios of every part (zip bombs),
   the parts an xlsx must have.
2. No DTD in any XML part (billion laughs, external entities; no Excel part
   has one). Every part is searched to its end as bytes, in UTF-8 and in the
   UTF-16 and UTF-32 forms, so neither a long comment nor another encoding
   hides one; this covers parts no XML parser can read, such as the not quite
   well-formed VML Excel writes. Every part that is then parsed, here or by
   openpyxl, is parsed by defusedxml: here with DTDs forbidden outright, so
   an encoding the byte search does not know is still caught by the parser.
3. Each worksheet's rows, cells and elements counted on the raw bytes with
   `bytes.count`, before any XML parser runs: a sheet of millions of cells is
   refused in well under a second.
4. Each worksheet read once by a streaming XML parser (`defusedxml`'s
   `iterparse`, elements cleared as they end): its merged ranges and the
   cells holding a formula without a saved value (openpyxl's data-only
   reading sees those as empty). The parser counts rows, cells and elements
   too, so the limits hold whatever the encoding.
5. Every other XML part parsed once, with DTDs forbidden (step 2's second line).
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError, fromstring
from openpyxl.xml.constants import SHEET_MAIN_NS

from programs.sheet.layout import (
    DTD_REFUSED,
    MAX_CELLS,
    MAX_ELEMENTS,
    MAX_FILE_BYTES,
    MAX_RATIO,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_ENTRIES,
    RATIO_MIN_BYTES,
    ImportFailed,
    failure,
    parse_range,
    parse_ref,
)


@dataclass
class SheetScan:
    """What vetting found in one worksheet part."""

    rows: int = 0
    cells: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    formulas_without_value: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class VettedFile:
    name: str
    data: bytes
    sha256: str
    sheets: dict[str, SheetScan]  # by sheet name, in workbook order


XML_SUFFIXES = (".xml", ".rels", ".vml")
_CHUNK = 1024 * 1024
_ROOT_TAG = re.compile(rb"<(\w++:)?+worksheet[\s>]")
_TAG_ENDS = (b" ", b">", b"/")  # other whitespace after a tag name: see MAX_ELEMENTS
_DTD_MARKERS = [
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
]
_DTD = re.compile(b"|".join(re.escape(marker) for marker in _DTD_MARKERS), re.IGNORECASE)
_DTD_OVERLAP = max(len(marker) for marker in _DTD_MARKERS)
_COUNT_EVERY = 4096  # elements between two checks of the limits while parsing
# Element names as expat reports them to `_Structure`: "namespace}name".
_ROW, _CELL, _FORMULA, _VALUE, _MERGE = (
    f"{SHEET_MAIN_NS}}}{name}" for name in ("row", "c", "f", "v", "mergeCell")
)


def _describe_non_zip(data: bytes) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return (
            "Excel 97-2003(.xls) 형식이거나 암호가 걸린 통합 문서입니다 "
            "(expected .xlsx: Excel에서 'Excel 통합 문서(*.xlsx)'로 저장하세요)"
        )
    head = data[:4096]
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is not None and text.strip() and "\x00" not in text:
        return "xlsx 파일이 아니라 글자 파일(CSV 등)입니다 (expected Excel 통합 문서 .xlsx)"
    return "xlsx 파일이 아닙니다: zip 형식이 아닙니다 (expected Excel 통합 문서 .xlsx)"


def vet_file(path: str | Path, display_name: str | None = None) -> VettedFile:
    """Check the file is a sane xlsx before openpyxl parses any of it."""
    path = Path(path)
    name = display_name or path.name
    if not path.is_file():
        raise failure(name, "파일이 없습니다 (expected 읽을 수 있는 .xlsx 파일 경로)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise failure(
            name,
            f"파일이 너무 큽니다: {size / 1024 / 1024:.1f} MB "
            f"(expected {MAX_FILE_BYTES // 1024 // 1024} MB 이하)",
        )
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    if not data.startswith(b"PK\x03\x04"):
        raise ImportFailed([f"{name}: {_describe_non_zip(data)}"], name, sha256)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFailed(
            [f"{name}: zip 파일이 손상되었습니다: {exc} (expected Excel 통합 문서 .xlsx)"],
            name,
            sha256,
        ) from None
    try:
        sheets = _vet_archive(name, archive, entries)
    except ImportFailed as refused:
        refused.sha256 = sha256
        raise
    finally:
        archive.close()
    return VettedFile(name=name, data=data, sha256=sha256, sheets=sheets)


def _vet_archive(name: str, archive: zipfile.ZipFile, entries) -> dict[str, SheetScan]:
    _check_sizes(name, entries)
    names = {info.filename for info in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise failure(
            name,
            "zip 파일이지만 Excel 통합 문서가 아닙니다: xl/workbook.xml이 없습니다 "
            "(expected Excel 통합 문서 .xlsx)",
        )
    xml_parts = [info for info in entries if info.filename.endswith(XML_SUFFIXES)]
    for info in xml_parts:
        _search_for_dtd(name, archive, info)
    worksheets = _worksheet_parts(name, archive)
    for sheet_name, part in worksheets:
        if part not in names:
            raise failure(name, f"시트 '{sheet_name}'의 내용({part})이 파일에 없습니다")
        _count_raw(name, sheet_name, archive, part)
    sheets = {
        sheet_name: _read_structure(name, sheet_name, archive, part)
        for sheet_name, part in worksheets
    }
    parsed = {part for _, part in worksheets}
    for info in xml_parts:
        if info.filename not in parsed:
            _parse_without_dtd(name, archive, info)
    return sheets


def _check_sizes(name: str, entries) -> None:
    if len(entries) > MAX_ZIP_ENTRIES:
        raise failure(
            name,
            f"zip 안의 파일이 너무 많습니다: {len(entries)}개 (expected {MAX_ZIP_ENTRIES}개 이하)",
        )
    total = 0
    for info in entries:
        total += info.file_size
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise failure(
                name,
                f"압축 폭탄으로 보입니다: {info.filename}이(가) {info.compress_size:,} 바이트에서 "
                f"{info.file_size:,} 바이트로 풀립니다 (expected 압축률 {MAX_RATIO}배 이하)",
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise failure(
            name,
            f"압축을 풀면 {total / 1024 / 1024:,.0f} MB입니다: 압축 폭탄으로 보입니다 "
            f"(expected {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB 이하)",
        )


def _search_for_dtd(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """A DTD can only serve entity tricks (billion laughs, external entities)."""
    carry = b""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            window = carry + chunk
            # Every marker has "<!" or "\0!" in it; `in` scans at memory speed.
            if (b"<!" in window or b"\0!" in window) and _DTD.search(window):
                raise failure(name, f"{info.filename}{DTD_REFUSED}")
            carry = chunk[-_DTD_OVERLAP:]


def _stream_through(
    name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, parser: DefusedXMLParser
) -> None:
    """Feed one part to a parser that forbids DTDs, a chunk at a time; a DTD
    refuses the file. A part that is not well-formed raises ParseError."""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                parser.feed(chunk)
        parser.close()
    except DefusedXmlException:
        raise failure(name, f"{info.filename}{DTD_REFUSED}") from None


def _parse_without_dtd(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    parser = DefusedXMLParser(target=_Nothing(), forbid_dtd=True)
    try:
        _stream_through(name, archive, info, parser)
    except ParseError:
        # Not well-formed (Excel's VML often is not): no XML parser reads past
        # this point, and openpyxl reports the parts it needs itself.
        return


class _Nothing:
    """A parser target that keeps nothing: the parse is only for its checks."""

    def close(self) -> None:
        return None


def _worksheet_parts(name: str, archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of every worksheet, from workbook.xml and its rels."""
    try:
        workbook = fromstring(archive.read("xl/workbook.xml"), forbid_dtd=True)
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    except KeyError:
        raise failure(name, "xl/_rels/workbook.xml.rels가 없습니다 (손상된 .xlsx)") from None
    except Exception as exc:
        raise failure(name, f"통합 문서 목록을 읽을 수 없습니다: {exc}") from None
    targets = {}
    for rel in rels:
        if rel.get("Type", "").endswith("/worksheet"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id")] = posixpath.normpath(target)
    parts = []
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((value for key, value in element.attrib.items() if key.endswith("}id")), None)
        if rid in targets:
            parts.append((element.get("name", ""), targets[rid]))
    return parts


def _too_big(name: str, sheet_name: str, what: str) -> ImportFailed:
    return failure(
        name,
        f"{sheet_name}: 시트가 너무 큽니다: {what} "
        f"(expected 행 {MAX_ROWS:,}개, 칸 {MAX_CELLS:,}개 이하)",
    )


def _check_counts(name: str, sheet_name: str, rows: int, cells: int, elements: int) -> None:
    if rows > MAX_ROWS:
        raise _too_big(name, sheet_name, f"행이 {MAX_ROWS:,}개를 넘습니다")
    if cells > MAX_CELLS:
        raise _too_big(name, sheet_name, f"칸이 {MAX_CELLS:,}개를 넘습니다")
    if elements > MAX_ELEMENTS:
        raise _too_big(name, sheet_name, f"XML 요소가 {MAX_ELEMENTS:,}개를 넘습니다")


def _count_raw(name: str, sheet_name: str, archive: zipfile.ZipFile, part: str) -> None:
    """Count rows, cells and elements on the raw bytes, refusing huge sheets
    before any XML parser builds them."""
    rows = cells = elements = 0
    carry = b""
    prefix = None  # the namespace prefix of the sheet's elements, b"" when none
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            buffer = carry + chunk
            if not chunk:
                complete, carry = buffer, b""
            else:
                cut = buffer.rfind(b"<")
                complete, carry = (buffer[:cut], buffer[cut:]) if cut > 0 else (buffer, b"")
            if prefix is None:
                root = _ROOT_TAG.search(complete)
                prefix = (root.group(1) or b"") if root else b""
            # bytes.count runs at memory speed; a regex here took a second for
            # the giant sheets this pass exists to refuse.
            rows += _count_tag(complete, prefix + b"row")
            cells += _count_tag(complete, prefix + b"c")
            # Elements under any other prefix are still elements: bound them all.
            elements += complete.count(b"<") - complete.count(b"</")
            _check_counts(name, sheet_name, rows, cells, elements)
            if not chunk:
                return


def _count_tag(data: bytes, tag: bytes) -> int:
    return sum(data.count(b"<" + tag + end) for end in _TAG_ENDS)


def _read_structure(name: str, sheet_name: str, archive: zipfile.ZipFile, part: str) -> SheetScan:
    """Merges and formulas without a saved value, by a streaming parse that
    builds no elements and keeps nothing but what it is looking for."""
    parser = DefusedXMLParser(target=_Nothing(), forbid_dtd=True)
    structure = _Structure(name, sheet_name, parser.parser)
    try:
        _stream_through(name, archive, archive.getinfo(part), parser)
    except ParseError as exc:
        raise failure(
            name,
            f"{sheet_name}: 시트를 읽을 수 없습니다: XML 오류: {exc} "
            "(expected Excel이 저장한 .xlsx)",
        ) from None
    structure.check()
    return structure.scan


class _Structure:
    """Expat callbacks that note a worksheet's merges and its formulas without a
    saved value, counting rows, cells and elements against the limits.

    They sit on defusedxml's parser directly instead of ElementTree's element
    building, which took three times as long on a large sheet; defusedxml's own
    checks stay in place. Text and element ends are only listened to inside a
    cell that has a formula, which is rare, so most elements cost one call.

    A cell is where openpyxl puts it: at its `r` address, or, without one, after
    the cell before it; rows likewise. Addresses are only read for the cells
    reported."""

    def __init__(self, name: str, sheet_name: str, expat):
        self.name = name
        self.sheet_name = sheet_name
        self.scan = SheetScan()
        self.elements = 0
        self.row = 0  # the open row's number
        self.last_ref: str | None = None  # the address of the row's last cell that had one
        self.since_ref = 0  # cells after that one, without an address
        self.formula: list[str] | None = None  # the open cell's formula text
        self.value: list[str] = []  # and its saved value
        self.expat = expat
        expat.StartElementHandler = self.start
        expat.EndElementHandler = None
        expat.CharacterDataHandler = None
        expat.DefaultHandlerExpand = None  # text outside <f> and <v> is not needed

    def start(self, tag: str, attributes: list[str]) -> None:
        """An element starts: `tag` is "namespace}name", `attributes` a flat
        [name, value, name, value, …] list. Called for every element: the
        common case, a cell, comes first and does least."""
        self.elements += 1
        if not self.elements % _COUNT_EVERY:
            self.check()
        if tag == _CELL:
            self.scan.cells += 1
            # Excel and openpyxl write the address first.
            ref = attributes[1] if attributes and attributes[0] == "r" else None
            if ref or (ref := _attribute(attributes, "r")):
                self.last_ref, self.since_ref = ref, 0
            else:
                self.since_ref += 1
        elif tag == _ROW:
            self.scan.rows += 1
            self.next_row(_attribute(attributes, "r"))
        elif tag == _FORMULA:
            self.formula, self.value = [], []
            self.expat.CharacterDataHandler = self.formula.append
            self.expat.EndElementHandler = self.end
        elif tag == _VALUE and self.formula is not None:
            self.expat.CharacterDataHandler = self.value.append
        elif tag == _MERGE:
            ref = _attribute(attributes, "ref")
            self.scan.merges.append(_merge(self.name, self.sheet_name, ref))

    def end(self, tag: str) -> None:
        """An element inside a cell with a formula ends."""
        if tag in (_FORMULA, _VALUE):
            self.expat.CharacterDataHandler = None
        elif tag == _CELL:
            if not "".join(self.value).strip():
                formula = "".join(self.formula or ())
                self.scan.formulas_without_value[self.cell_position()] = formula
            self.formula = None
            self.expat.EndElementHandler = None

    def next_row(self, number: str | None) -> None:
        self.last_ref, self.since_ref = None, 0
        if number is None:
            self.row += 1
            return
        try:
            value = float(number)
        except ValueError:
            value = None
        if value is None or not value.is_integer():
            raise failure(
                self.name,
                f"{self.sheet_name}: 행 번호 '{number}'를 읽을 수 없습니다 "
                "(expected 1 이상의 정수)",
            )
        self.row = int(value)

    def cell_position(self) -> tuple[int, int]:
        """(row, column) of the open cell."""
        if self.last_ref is None:
            return self.row, self.since_ref
        try:
            row, column = parse_ref(self.last_ref)
        except ValueError:
            raise failure(
                self.name,
                f"{self.sheet_name}: 칸 주소 '{self.last_ref}'를 읽을 수 없습니다 "
                "(expected F17 같은 칸 주소)",
            ) from None
        return (row, column) if not self.since_ref else (self.row, column + self.since_ref)

    def check(self) -> None:
        _check_counts(self.name, self.sheet_name, self.scan.rows, self.scan.cells, self.elements)


def _attribute(attributes: list[str], name: str) -> str | None:
    for index in range(0, len(attributes), 2):
        if attributes[index] == name:
            return attributes[index + 1]
    return None


def _merge(name: str, sheet_name: str, ref: str | None) -> tuple[int, int, int, int]:
    try:
        return parse_range(ref or "")
    except ValueError:
        raise failure(
            name,
            f"{sheet_name}: 병합 범위 '{ref or ''}'를 읽을 수 없습니다 "
            "(expected B6:B9 같은 칸 범위)",
        ) from None
