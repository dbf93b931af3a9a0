"""Vet an uploaded workbook before any XML parser reads it.

    vetted = vet_file(path)  # raises ImportFailed naming the file (and sheet)

Size, zip magic, declared uncompressed sizes and ratios (zip bombs), the parts an
xlsx has, no DTD anywhere (billion laughs; openpyxl also parses with
defusedxml), and each worksheet's rows and cells counted on the raw bytes, so a
sheet of millions of cells is refused in well under a second. The same pass
collects merged ranges and the formula cells that carry no cached value.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import unescape

from defusedxml.ElementTree import fromstring

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


_SHEET_XML_CHUNK = 1024 * 1024
_ROOT_TAG = re.compile(rb"<(\w+:)?worksheet[\s>]")
_TAG_ENDS = (b" ", b">", b"/")  # other whitespace after a tag name: see MAX_ELEMENTS
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE_TAG = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+\d+)(?::([A-Z]+\d+))?\"")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CELL_ELEMENT = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>/]")
_R_ATTR = re.compile(rb"\br=\"([A-Z]+\d+)\"")
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", re.DOTALL)
_VALUE_TEXT = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")


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
    """Check the file is a sane xlsx before anything parses its XML."""
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
    names = {info.filename for info in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise failure(
            name,
            "zip 파일이지만 Excel 통합 문서가 아닙니다: xl/workbook.xml이 없습니다 "
            "(expected Excel 통합 문서 .xlsx)",
        )
    # A DTD can only serve entity tricks (billion laughs, external entities);
    # no Excel part has one. openpyxl would refuse it too (defusedxml), later.
    for info in entries:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as part:
                head = part.read(4096)
            if _DTD.search(head):
                raise failure(name, f"{info.filename}{DTD_REFUSED}")
    sheets = {}
    for sheet_name, part in _worksheet_parts(name, archive):
        if part not in names:
            raise failure(name, f"시트 '{sheet_name}'의 내용({part})이 파일에 없습니다")
        sheets[sheet_name] = _scan_sheet(name, sheet_name, archive, part)
    return sheets


def _worksheet_parts(name: str, archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of every worksheet, from workbook.xml and its rels."""
    try:
        workbook = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
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


def _scan_sheet(name: str, sheet_name: str, archive: zipfile.ZipFile, part: str) -> SheetScan:
    """Count rows and cells on the raw bytes (refusing huge sheets before any XML
    parser builds them), collect merged ranges and note whether formulas exist."""
    scan = SheetScan()
    has_formulas = False
    carry = b""
    prefix = None  # the namespace prefix of the sheet's elements, b"" when none
    elements = 0
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_SHEET_XML_CHUNK)
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
            scan.rows += _count_tag(complete, prefix + b"row")
            scan.cells += _count_tag(complete, prefix + b"c")
            # Elements under any other prefix are still elements: bound them all.
            elements += complete.count(b"<") - complete.count(b"</")
            if scan.rows > MAX_ROWS:
                raise failure(
                    name,
                    f"{sheet_name}: 시트가 너무 큽니다: 행이 {MAX_ROWS:,}개를 넘습니다 "
                    f"(expected 행 {MAX_ROWS:,}개, 칸 {MAX_CELLS:,}개 이하)",
                )
            if scan.cells > MAX_CELLS:
                raise failure(
                    name,
                    f"{sheet_name}: 시트가 너무 큽니다: 칸이 {MAX_CELLS:,}개를 넘습니다 "
                    f"(expected 행 {MAX_ROWS:,}개, 칸 {MAX_CELLS:,}개 이하)",
                )
            if elements > MAX_ELEMENTS:
                raise failure(
                    name,
                    f"{sheet_name}: 시트가 너무 큽니다: XML 요소가 {MAX_ELEMENTS:,}개를 넘습니다 "
                    f"(expected 행 {MAX_ROWS:,}개, 칸 {MAX_CELLS:,}개 이하)",
                )
            # The regexes are slow on giant sheets: run them only where a cheap
            # test says their element may be there.
            if (
                not has_formulas
                and (b"<f" in complete or b":f" in complete)
                and _FORMULA_TAG.search(complete)
            ):
                has_formulas = True
            if b"mergeCell" in complete:
                for first, last in _MERGE_TAG.findall(complete):
                    r1, c1 = parse_ref(first.decode())
                    r2, c2 = parse_ref(last.decode()) if last else (r1, c1)
                    scan.merges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
            if not chunk:
                break
    if has_formulas:
        scan.formulas_without_value = _formulas_without_value(archive, part)
    return scan


def _count_tag(data: bytes, tag: bytes) -> int:
    return sum(data.count(b"<" + tag + end) for end in _TAG_ENDS)


def _formulas_without_value(archive: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    """Cells holding a formula but no cached value: data_only reading sees them
    as empty, so the importer reports them instead of losing their content."""
    found: dict[tuple[int, int], str] = {}
    carry = b""
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(_SHEET_XML_CHUNK)
            buffer = carry + chunk
            if chunk:
                starts = [m.start() for m in _CELL_START.finditer(buffer)]
                cut = starts[-1] if starts else len(buffer)
                complete, carry = buffer[:cut], buffer[cut:]
            else:
                complete, carry = buffer, b""
            for match in _CELL_ELEMENT.finditer(complete):
                attrs, body = match.group(1), match.group(2) or b""
                if not _FORMULA_TAG.search(body) or _VALUE_TEXT.search(body):
                    continue
                ref = _R_ATTR.search(attrs)
                if not ref:
                    continue
                formula = _FORMULA_TEXT.search(body)
                text = formula.group(1).decode("utf-8", "replace") if formula else ""
                text = unescape(text, {"&quot;": '"', "&apos;": "'"})
                found[parse_ref(ref.group(1).decode())] = text
            if not chunk:
                break
    return found
