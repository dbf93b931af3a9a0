"""The one import service: the yearly Excel sheet into the database.

    report = import_plan(path, year=None, sheet=None, dry_run=False, prune=False)

1. Vet the file before any XML parser sees it (`vet_file`): size, zip magic,
   declared uncompressed sizes and ratios (zip bombs), the parts an xlsx has,
   no DTD anywhere (billion laughs; openpyxl also parses with defusedxml), and
   each worksheet's rows and cells counted on the raw bytes, so a sheet of
   millions of cells is refused in well under a second. The same pass collects
   merged ranges and the formula cells that carry no cached value.
2. Read every worksheet with openpyxl in read-only, data-only mode (cached
   values of formulas; memory bounded by the limits of step 1). Worksheets
   without the header are skipped.
3. Parse the table of each sheet into plain data (`SheetPlan`), collecting every
   error with its file, sheet and cell before failing.
4. Upsert each year in one transaction: existing programs are loaded in a few
   queries and compared in memory, so an unchanged sheet writes nothing and
   the number of queries does not grow with the number of programs.

The layout it reads is described in the README and in issue 3; the writer of
the same layout is `programs.opendata.write_plan_sheet`.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import posixpath
import re
import warnings
import zipfile
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import unescape

from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from contacts.phones import PhoneError, normalise_phone
from programs.amounts import Amount, parse_amount
from programs.eligibility import VOCABULARY, eligibility_codes

# --- limits -----------------------------------------------------------------------
# The 2019 plan is 44 programs in ~60 rows; the benchmark sheet (50x) ~2,200.
# These leave ample room above that and refuse what cannot be a yearly plan.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all parts together, as declared
MAX_RATIO = 100  # declared uncompressed / compressed, for parts over 1 MB
RATIO_MIN_BYTES = 1024 * 1024
MAX_ROWS = 20_000  # per worksheet
MAX_CELLS = 500_000  # per worksheet
# Every element of the sheet, whatever it is called: a cell is at most three
# (<c><is><t>, <c><f><v>); the 50x benchmark sheet has about 150,000.
MAX_ELEMENTS = 1_000_000
MAX_HEADER_SEARCH_ROWS = 50
MAX_WON = 2**63 - 1  # the database columns: PositiveBigIntegerField
MAX_QUANTITY = 2**31 - 1  # PositiveIntegerField

DEFAULT_SECTION = "지원사업"
SKIPPED_NOTE = "※"
EXPECTED_COLUMNS = "지원분야, 사업명, 추진일정(1월~12월), 지원대상, 지원규모, 업체평균, 문의처"
DTD_REFUSED = (
    "에 DTD/엔티티 선언이 있어 읽지 않습니다 (XML 폭탄 방지; expected Excel이 저장한 .xlsx)"
)
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}

FIELD_LABELS = {
    "area": "지원분야",
    "name": "사업명",
    "target": "지원대상",
    "budget": "지원규모",
    "per_company": "업체평균",
    "contacts": "문의처",
}
REQUIRED_FIELDS = ("area", "name", "target", "budget", "per_company", "contacts")


class ImportFailed(Exception):
    """The file cannot be imported; nothing was written. `errors` are full lines."""

    def __init__(self, errors: list[str], file_name: str = "", sha256: str = ""):
        self.errors = errors
        self.file_name = file_name
        self.sha256 = sha256
        super().__init__("\n".join(errors))


# --- column letters ---------------------------------------------------------------


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index


_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


def parse_ref(ref: str) -> tuple[int, int]:
    """'F17' -> (17, 6)."""
    match = _REF.match(ref)
    if not match:
        raise ValueError(ref)
    return int(match.group(2)), column_index(match.group(1))


def cell_ref(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


# --- step 1: vet the file -----------------------------------------------------------


@dataclass
class SheetScan:
    """What the raw-byte pass found in one worksheet part."""

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


def _fail(file_name: str, message: str) -> ImportFailed:
    return ImportFailed([f"{file_name}: {message}"], file_name)


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
        raise _fail(name, "파일이 없습니다 (expected 읽을 수 있는 .xlsx 파일 경로)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _fail(
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
    except ImportFailed as failure:
        failure.sha256 = sha256
        raise
    finally:
        archive.close()
    return VettedFile(name=name, data=data, sha256=sha256, sheets=sheets)


def _vet_archive(name: str, archive: zipfile.ZipFile, entries) -> dict[str, SheetScan]:
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _fail(
            name,
            f"zip 안의 파일이 너무 많습니다: {len(entries)}개 (expected {MAX_ZIP_ENTRIES}개 이하)",
        )
    total = 0
    for info in entries:
        total += info.file_size
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise _fail(
                name,
                f"압축 폭탄으로 보입니다: {info.filename}이(가) {info.compress_size:,} 바이트에서 "
                f"{info.file_size:,} 바이트로 풀립니다 (expected 압축률 {MAX_RATIO}배 이하)",
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _fail(
            name,
            f"압축을 풀면 {total / 1024 / 1024:,.0f} MB입니다: 압축 폭탄으로 보입니다 "
            f"(expected {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB 이하)",
        )
    names = {info.filename for info in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _fail(
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
                raise _fail(name, f"{info.filename}{DTD_REFUSED}")
    sheets = {}
    for sheet_name, part in _worksheet_parts(name, archive):
        if part not in names:
            raise _fail(name, f"시트 '{sheet_name}'의 내용({part})이 파일에 없습니다")
        sheets[sheet_name] = _scan_sheet(name, sheet_name, archive, part)
    return sheets


def _worksheet_parts(name: str, archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of every worksheet, from workbook.xml and its rels."""
    from defusedxml.ElementTree import fromstring

    try:
        workbook = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        raise _fail(name, "xl/_rels/workbook.xml.rels가 없습니다 (손상된 .xlsx)") from None
    except Exception as exc:
        raise _fail(name, f"통합 문서 목록을 읽을 수 없습니다: {exc}") from None
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
                raise _fail(
                    name,
                    f"{sheet_name}: 시트가 너무 큽니다: 행이 {MAX_ROWS:,}개를 넘습니다 "
                    f"(expected 행 {MAX_ROWS:,}개, 칸 {MAX_CELLS:,}개 이하)",
                )
            if scan.cells > MAX_CELLS:
                raise _fail(
                    name,
                    f"{sheet_name}: 시트가 너무 큽니다: 칸이 {MAX_CELLS:,}개를 넘습니다 "
                    f"(expected 행 {MAX_ROWS:,}개, 칸 {MAX_CELLS:,}개 이하)",
                )
            if elements > MAX_ELEMENTS:
                raise _fail(
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


# --- step 2 and 3: read and parse the table ------------------------------------------


def compact(value) -> str:
    return re.sub(r"\s+", "", str(value)) if value is not None else ""


def normalise(value) -> str:
    """Cell text with line breaks and runs of spaces made single spaces."""
    return " ".join(str(value).split()) if value is not None else ""


@dataclass
class DeskSpec:
    organization: str = ""
    team: str = ""
    phone: str = ""  # E.164
    url: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.organization, self.team, self.phone, self.url)

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.organization, self.team) if part)


@dataclass
class ProgramRow:
    area: str
    name: str
    row: int  # first sheet row
    name_ref: str
    target: str = ""
    budget: Amount = field(default_factory=Amount)
    per_company: Amount = field(default_factory=Amount)
    desks: list[DeskSpec] = field(default_factory=list)
    milestones: list[tuple[str, int, int]] = field(default_factory=list)
    raw: dict[str, object] = field(default_factory=dict)  # non-month cells, for continuation rows


@dataclass
class SheetPlan:
    year: int
    sheet: str
    title: str
    sections: list[tuple[str, list[tuple[str, list[ProgramRow]]]]]  # (section, [(area, programs)])

    @property
    def programs(self) -> list[ProgramRow]:
        return [p for _, areas in self.sections for _, programs in areas for p in programs]


# Words a contact line may carry that name neither the desk nor its number.
CONTACT_FILLER_WORDS = {"홈페이지", "누리집", "신청", "문의", "전화", "접수", "및"}
_PHONE = re.compile(
    r"(?<![\d-])(?:(?:\+82[\s-]?|0)\d{1,2}[\s)-]?\d{3,4}[\s-]?\d{4}|1\d{3}-?\d{4})(?![\d-])"
)
_DIGITISH = re.compile(r"^[\d\-+().]*\d{3}[\d\-+().]*$")
_DOMAIN = re.compile(r"^(?:https?://)?(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?:[/?#]\S*)?$")
_TEAM_SUFFIXES = ("팀", "실", "단")
_ORG_SUFFIXES = ("재단",)  # ends in 단, names an organisation
_validate_url = URLValidator(schemes=["http", "https"])


def parse_contact_line(line: str) -> DeskSpec:
    """'신나는조합 협동조합팀 070-4870-5086' -> organisation, team, phone;
    '1544-5077, 서울시협동조합지원센터 홈페이지 (seoulcoop.net) 신청' -> phone,
    organisation and https://seoulcoop.net. Raises ValueError with the reason."""
    phones = _PHONE.findall(line)
    if len(phones) > 1:
        raise ValueError(f"한 줄에 전화번호가 {len(phones)}개입니다 (expected 한 줄에 문의처 하나)")
    desk = DeskSpec()
    rest = line
    if phones:
        try:
            desk.phone = normalise_phone(phones[0])
        except PhoneError:
            raise ValueError(f"전화번호 '{phones[0]}'가 유효한 국내 번호가 아닙니다") from None
        rest = rest.replace(phones[0], " ", 1)
    organization, team = [], []
    for raw_token in re.split(r"[\s,]+", rest):
        token = raw_token.strip("()[]<>·;:")
        if not token or token in CONTACT_FILLER_WORDS:
            continue
        if _DOMAIN.match(token) and not token.replace(".", "").isdigit():
            if desk.url:
                raise ValueError("한 줄에 웹 주소가 둘입니다 (expected 한 줄에 문의처 하나)")
            url = token if token.lower().startswith(("http://", "https://")) else f"https://{token}"
            try:
                _validate_url(url)
            except ValidationError:
                raise ValueError(f"웹 주소 '{token}'가 올바르지 않습니다") from None
            if len(url) > 200:
                raise ValueError("웹 주소가 200자를 넘습니다")
            desk.url = url
        elif _DIGITISH.match(token):
            raise ValueError(f"전화번호 '{token}'를 읽을 수 없습니다")
        elif token.endswith(_TEAM_SUFFIXES) and not token.endswith(_ORG_SUFFIXES):
            team.append(token)
        else:
            organization.append(token)
    desk.organization = " ".join(organization)
    desk.team = " ".join(team)
    if len(desk.organization) > 100 or len(desk.team) > 100:
        raise ValueError("기관이나 팀 이름이 100자를 넘습니다")
    return desk


class _SheetReader:
    """Parse one worksheet's rows (lists of values) into a SheetPlan."""

    def __init__(self, file_name, sheet_name, rows, scan: SheetScan, year_option, errors, warnings):
        self.file_name = file_name
        self.sheet = sheet_name
        self.rows = rows  # list of tuples; rows[0] is sheet row 1
        self.scan = scan
        self.year_option = year_option
        self.errors = errors
        self.warnings = warnings
        # (row, col) of every cell a merge covers, except its anchor -> the merge.
        self.covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        self.anchors: dict[tuple[int, int], tuple[int, int, int, int]] = {}

    # cells

    def where(self, row: int, column: int | None = None) -> str:
        place = cell_ref(row, column) if column else f"{row}:{row}"
        return f"{self.file_name}: {self.sheet}!{place}"

    def error(self, row, column, message) -> None:
        self.errors.append(f"{self.where(row, column)}: {message}")

    def raw(self, row: int, column: int):
        if row - 1 >= len(self.rows):
            return None
        values = self.rows[row - 1]
        value = values[column - 1] if column - 1 < len(values) else None
        if (row, column) in self.scan.formulas_without_value and value is None:
            formula = self.scan.formulas_without_value[(row, column)]
            self.error(
                row,
                column,
                f"수식 '={formula}'에 저장된 값이 없습니다 "
                "(expected 계산된 값: Excel에서 열어 다시 저장하거나 값으로 붙여 넣으세요)",
            )
            self.scan.formulas_without_value.pop((row, column))
        if isinstance(value, str) and value in EXCEL_ERRORS:
            self.error(row, column, f"오류 값 {value}이(가) 들어 있습니다 (expected 글자나 숫자)")
            return None
        return value

    def value(self, row: int, column: int):
        """The cell's value; a cell inside a merge has its anchor's value."""
        merge = self.covered.get((row, column))
        if merge:
            return self.raw(merge[0], merge[1])
        return self.raw(row, column)

    @staticmethod
    def text(value) -> str:
        if isinstance(value, datetime.datetime | datetime.date):
            return f"{value.month}.{value.day}"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return normalise(value)

    # the table

    def parse(self) -> SheetPlan | None:
        header = self.find_header()
        if header is None:
            return None
        header_top, header_bottom = header
        columns = self.read_columns(header_top, header_bottom)
        if columns is None:
            return None
        year, title = self.read_title(header_top)
        for r1, c1, r2, c2 in self.scan.merges:
            if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_CELLS:
                self.error(r1, c1, "병합 범위가 너무 큽니다 (expected 표 안의 병합)")
                return None
            self.anchors[(r1, c1)] = (r1, c1, r2, c2)
            last_row = min(r2, len(self.rows))
            last_col = min(c2, self.last_col)
            for row in range(max(r1, header_bottom + 1), last_row + 1):
                for column in range(c1, last_col + 1):
                    if (row, column) != (r1, c1):
                        self.covered[(row, column)] = (r1, c1, r2, c2)
        sections = self.read_body(header_bottom + 1, columns)
        # Formulas without a cached value that no read came across (in a row
        # that looked blank because of them): still an error, never a silent gap.
        for row, column in sorted(self.scan.formulas_without_value):
            if column <= self.last_col:
                self.raw(row, column)
        if year is None:
            return None
        plan = SheetPlan(year=year, sheet=self.sheet, title=title, sections=sections)
        if not plan.programs and not self.errors:
            # An empty table would only list (or, with --prune, delete) every program.
            self.errors.append(
                f"{self.file_name}: {self.sheet}: 표에 사업이 하나도 없습니다 "
                "(expected 머리글 아래에 사업 줄)"
            )
        return plan

    def find_header(self) -> tuple[int, int] | None:
        for row in range(1, min(len(self.rows), MAX_HEADER_SEARCH_ROWS) + 1):
            texts = {compact(value) for value in self.rows[row - 1] if value is not None}
            if "지원분야" in texts and "사업명" in texts:
                below = (
                    {compact(v) for v in self.rows[row] if v is not None}
                    if row < len(self.rows)
                    else set()
                )
                two_rows = "추진일정" in texts or bool(below & {f"{m}월" for m in range(1, 13)})
                two_rows = two_rows and not ({f"{m}월" for m in range(1, 13)} <= texts)
                return row, row + 1 if two_rows else row
        return None

    def read_columns(self, top: int, bottom: int) -> dict | None:
        width = max(len(self.rows[top - 1]), len(self.rows[bottom - 1]))
        columns: dict[str, int] = {}
        months: dict[int, int] = {}
        for column in range(1, width + 1):
            upper = compact(self.raw(top, column))
            lower = compact(self.raw(bottom, column)) if bottom != top else ""
            label = lower or upper
            if not label:
                continue
            month = re.fullmatch(r"(\d{1,2})월", label)
            if month and 1 <= int(month.group(1)) <= 12:
                number = int(month.group(1))
                if number in months:
                    self.error(
                        bottom, column, f"'{label}' 열이 두 번 있습니다 (expected 월마다 한 열)"
                    )
                months[number] = column
                continue
            key = next((k for k, text in FIELD_LABELS.items() if text == label), None)
            if key is None and label == "추진일정":
                continue
            if key is None:
                shown = normalise(self.raw(top, column) or self.raw(bottom, column))
                self.warnings.append(
                    f"{self.where(top, column)}: 열 '{shown}'은(는) 읽지 않습니다 "
                    f"(읽는 열: {EXPECTED_COLUMNS})"
                )
                continue
            if key in columns:
                self.error(top, column, f"'{label}' 열이 두 번 있습니다 (expected 한 열)")
            columns[key] = column
        missing = [FIELD_LABELS[key] for key in REQUIRED_FIELDS if key not in columns]
        missing += [f"{m}월" for m in range(1, 13) if m not in months]
        rows = f"{top}:{bottom}"
        if missing:
            self.errors.append(
                f"{self.file_name}: {self.sheet}!{rows}: 필수 열이 머리글에 없습니다: "
                f"{', '.join(missing)} (expected {EXPECTED_COLUMNS})"
            )
            return None
        month_columns = [months[m] for m in range(1, 13)]
        if month_columns != list(range(month_columns[0], month_columns[0] + 12)):
            self.errors.append(
                f"{self.file_name}: {self.sheet}!{rows}: 1월~12월 열이 차례대로 붙어 있지 않습니다 "
                "(expected 1월부터 12월까지 이웃한 열)"
            )
            return None
        columns["months"] = month_columns[0]
        self.last_col = max([*columns.values(), month_columns[-1]])
        self.first_col = min([*columns.values()])
        return columns

    def read_title(self, header_top: int) -> tuple[int | None, str]:
        """The plan's year and title from the rows above the header: the first
        text naming a year ("2019년 …"), else the first text."""
        title = ""
        found_year = None
        for row in range(1, header_top):
            for column, value in enumerate(self.rows[row - 1], start=1):
                text = self.text(self.raw(row, column)) if value is not None else ""
                if not text:
                    continue
                match = re.search(r"(20\d{2})\s*년", text)
                if match and found_year is None:
                    found_year = int(match.group(1))
                    title = text
                title = title or text
        sheet_year = re.search(r"(20\d{2})\s*년", self.sheet)
        if len(title) > 200:
            self.errors.append(
                f"{self.file_name}: {self.sheet}: 제목이 {len(title)}자입니다 (expected 200자 이하)"
            )
        if self.year_option:
            if found_year and found_year != self.year_option:
                self.warnings.append(
                    f"{self.file_name}: {self.sheet}: 제목은 {found_year}년이지만 "
                    f"--year {self.year_option}(으)로 가져옵니다"
                )
            return self.year_option, title
        if found_year:
            return found_year, title
        if sheet_year:
            return int(sheet_year.group(1)), title
        self.errors.append(
            f"{self.file_name}: {self.sheet}: 연도를 알 수 없습니다: 표 위 제목 줄에 "
            "'2019년 …' 같은 연도가 없고 --year도 주지 않았습니다 "
            "(expected 제목 줄의 연도나 --year)"
        )
        return None, title

    def is_section_row(self, row: int, values: dict[int, object]) -> bool:
        if len(values) != 1:
            return False
        (column,) = values
        merge = self.anchors.get((row, column))
        return bool(merge and merge[0] == merge[2] and merge[3] - merge[1] >= 2)

    def read_body(self, first_row: int, columns: dict) -> list:
        sections: list = []
        current_section = None
        current_area = None
        seen: dict[tuple[str, str], ProgramRow] = {}
        area_sections: dict[str, str] = {}
        by_anchor: dict[tuple[int, int], ProgramRow] = {}
        first_month = columns["months"]
        month_cols = range(first_month, first_month + 12)

        table_columns = {columns[key] for key in REQUIRED_FIELDS} | set(month_cols)
        for row in range(first_row, len(self.rows) + 1):
            # Every text of the row (a section heading may start in a column the
            # importer skips), and the texts in the columns it reads.
            anywhere = {
                column: value
                for column, value in enumerate(self.rows[row - 1], start=1)
                if value is not None and normalise(value) != ""
            }
            own = {column: value for column, value in anywhere.items() if column in table_columns}
            if anywhere and normalise(anywhere[min(anywhere)]).startswith(SKIPPED_NOTE):
                continue  # a note under (or inside) the table
            if self.is_section_row(row, anywhere):
                name = self.text(anywhere[min(anywhere)])
                if len(name) > 100:
                    self.error(
                        row, min(anywhere), f"구분이 {len(name)}자입니다 (expected 100자 이하)"
                    )
                    continue
                current_section = (name, [])
                sections.append(current_section)
                current_area = None
                continue
            if not own:
                # Blank, only a remark in a skipped column, or only covered by
                # cells merged down from above: nothing of its own to read.
                continue

            # 사업명: a cell merged down from an earlier row continues that program
            name_col = columns["name"]
            name_merge = self.covered.get((row, name_col))
            if name_merge and name_merge[0] < row:
                program = by_anchor.get((name_merge[0], name_col))
                if program is not None:
                    self.check_continuation(row, columns, program)
                    self.read_months(row, month_cols, program)
                # else the first row of the merge was refused, and said so
                continue

            name = self.text(self.value(row, name_col))
            area_value = self.value(row, columns["area"])
            area = self.text(area_value)
            if not area:
                if current_area is None:
                    self.error(
                        row, columns["area"], "지원분야가 비어 있습니다 (expected 지원분야 이름)"
                    )
                    continue
                area = current_area[0]
            if not name:
                self.error(row, name_col, "사업명이 비어 있습니다 (expected 사업 이름)")
                continue
            if len(name) > 200:
                self.error(row, name_col, f"사업명이 {len(name)}자입니다 (expected 200자 이하)")
                continue
            if len(area) > 100:
                self.error(
                    row, columns["area"], f"지원분야가 {len(area)}자입니다 (expected 100자 이하)"
                )
                continue
            if current_section is None:
                current_section = (DEFAULT_SECTION, [])
                sections.append(current_section)
            if area in area_sections and area_sections[area] != current_section[0]:
                self.error(
                    row,
                    columns["area"],
                    f"지원분야 '{area}'가 구분 '{area_sections[area]}'에도 있습니다 "
                    "(expected 한 해에 지원분야 이름은 하나의 구분에만)",
                )
                continue
            area_sections[area] = current_section[0]
            if current_area is None or current_area[0] != area:
                current_area = next((a for a in current_section[1] if a[0] == area), None)
                if current_area is None:
                    current_area = (area, [])
                    current_section[1].append(current_area)

            program = ProgramRow(area=area, name=name, row=row, name_ref=cell_ref(row, name_col))
            if (area, name) in seen:
                first = seen[(area, name)]
                self.error(
                    row,
                    name_col,
                    f"사업 '{name}'(지원분야 '{area}')이(가) {first.name_ref}에도 있습니다 "
                    f"(expected 사업마다 한 줄; 여러 줄이면 사업명 칸을 병합하세요)",
                )
                continue
            seen[(area, name)] = program
            by_anchor[(row, name_col)] = program
            self.read_fields(row, columns, program)
            self.read_months(row, month_cols, program)
            current_area[1].append(program)
        return sections

    def read_fields(self, row: int, columns: dict, program: ProgramRow) -> None:
        for key in ("target", "budget", "per_company", "contacts"):
            program.raw[key] = self.value(row, columns[key])
        program.target = self.text(program.raw["target"])
        for key in ("budget", "per_company"):
            raw = program.raw[key]
            column = columns[key]
            place_row, place_col = self.covered.get((row, column), (row, column))[:2]
            if isinstance(raw, datetime.datetime | datetime.date | datetime.time | bool):
                self.error(
                    place_row,
                    place_col,
                    f"{FIELD_LABELS[key]} 칸에 '{raw}'이(가) 있습니다 "
                    "(expected 4.5천만원, 인당 최대 300만원, 45000000 같은 금액)",
                )
                continue
            try:
                amount = _cached_amount(raw if not isinstance(raw, str) else normalise(raw))
            except (ValueError, ArithmeticError):
                self.error(
                    place_row,
                    place_col,
                    f"{FIELD_LABELS[key]} '{normalise(raw)}'를 금액으로 읽을 수 없습니다 "
                    "(expected 4.5천만원, 인당 최대 300만원, 6억원/7개 내외, 2식, 미정 같은 금액)",
                )
                continue
            if len(amount.text) > 100:
                self.error(
                    place_row,
                    place_col,
                    f"{FIELD_LABELS[key]}가 {len(amount.text)}자입니다 (expected 100자 이하)",
                )
                continue
            too_big = (amount.won or 0) > MAX_WON or (amount.quantity or 0) > MAX_QUANTITY
            if too_big:
                self.error(
                    place_row,
                    place_col,
                    f"{FIELD_LABELS[key]} '{amount.text}'의 숫자가 너무 큽니다 "
                    f"(expected {MAX_WON:,}원, 수량 {MAX_QUANTITY:,} 이하)",
                )
                continue
            setattr(program, key, amount)
        raw_contacts = program.raw["contacts"]
        column = columns["contacts"]
        place_row, place_col = self.covered.get((row, column), (row, column))[:2]
        lines = str(raw_contacts).splitlines() if raw_contacts is not None else []
        for line in lines:
            if not line.strip():
                continue
            try:
                desk = _cached_desk(self.text(line))
            except (ValueError, PhoneError) as exc:
                self.error(
                    place_row,
                    place_col,
                    f"문의처 '{normalise(line)}': {exc} "
                    "(expected 한 줄에 하나씩 '판로지원팀 070-4267-5044' 같은 팀·기관과 전화번호)",
                )
                continue
            if desk.key not in [d.key for d in program.desks]:
                program.desks.append(desk)

    def check_continuation(self, row: int, columns: dict, program: ProgramRow) -> None:
        for key in ("area", "target", "budget", "per_company", "contacts"):
            column = columns[key]
            value = self.value(row, column)
            if value is None or normalise(value) == "":
                continue
            first = program.area if key == "area" else program.raw.get(key)
            if normalise(value) != normalise(first):
                self.error(
                    row,
                    column,
                    f"사업 '{program.name}'의 이어지는 줄에 다른 {FIELD_LABELS[key]} "
                    f"'{normalise(value)}'가 있습니다 "
                    f"(expected 빈 칸이나 {program.name_ref} 줄과 같은 값)",
                )

    def read_months(self, row: int, month_cols: range, program: ProgramRow) -> None:
        first = month_cols[0]
        taken = {start for _, start, _ in program.milestones}
        for column in month_cols:
            merge = self.anchors.get((row, column)) or self.covered.get((row, column))
            if merge:
                r1, c1, _r2, c2 = merge
                if c1 != column:
                    continue  # inside a span that starts in an earlier month
                if c2 > month_cols[-1] or c1 < first:
                    self.error(
                        r1,
                        c1,
                        "일정 칸의 병합이 1월~12월 열 밖으로 나갑니다 (expected 월 열 안의 병합)",
                    )
                    continue
                value = self.raw(r1, c1)
                end_column = c2
            else:
                value = self.raw(row, column)
                end_column = column
            label = self.text(value)
            if not label:
                continue
            if len(label) > 200:
                self.error(row, column, f"일정이 {len(label)}자입니다 (expected 200자 이하)")
                continue
            start, end = column - first + 1, end_column - first + 1
            if start in taken:
                self.error(
                    row,
                    column,
                    f"사업 '{program.name}'의 {start}월에 시작하는 일정이 둘입니다 "
                    "(expected 한 달에 시작하는 일정은 하나)",
                )
                continue
            taken.add(start)
            program.milestones.append((label, start, end))


_amount_cache: dict = {}
_desk_cache: dict = {}


def _cached_amount(raw) -> Amount:
    key = (type(raw), raw)
    if key not in _amount_cache:
        if len(_amount_cache) > 10_000:
            _amount_cache.clear()
        _amount_cache[key] = parse_amount(
            raw if not isinstance(raw, float) or not raw.is_integer() else int(raw)
        )
    return _amount_cache[key]


def _cached_desk(line: str) -> DeskSpec:
    if line not in _desk_cache:
        if len(_desk_cache) > 10_000:
            _desk_cache.clear()
        _desk_cache[line] = parse_contact_line(line)
    desk = _desk_cache[line]
    return DeskSpec(desk.organization, desk.team, desk.phone, desk.url)


def _caused_by_defusedxml(exc: BaseException | None) -> bool:
    """openpyxl wraps parse errors in its own; look down the chain."""
    for _ in range(10):
        if exc is None:
            return False
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def read_workbook(vetted: VettedFile, year: int | None, sheet: str | None):
    """Parse every worksheet that has the header. Returns (plans, warnings)."""
    import openpyxl

    errors: list[str] = []
    found_warnings: list[str] = []
    name = vetted.name
    if sheet is not None and sheet not in vetted.sheets:
        raise ImportFailed(
            [f"{name}: 시트 '{sheet}'가 없습니다 (expected {', '.join(vetted.sheets)} 중 하나)"],
            name,
            vetted.sha256,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            workbook = openpyxl.load_workbook(
                io.BytesIO(vetted.data), read_only=True, data_only=True, keep_links=False
            )
    except Exception as exc:
        if _caused_by_defusedxml(exc):
            raise ImportFailed([f"{name}: 통합 문서{DTD_REFUSED}"], name, vetted.sha256) from None
        raise ImportFailed(
            [f"{name}: Excel 통합 문서를 열 수 없습니다: {type(exc).__name__}: {exc}"],
            name,
            vetted.sha256,
        ) from None
    plans: list[SheetPlan] = []
    try:
        for ws in workbook.worksheets:
            if sheet is not None and ws.title != sheet:
                continue
            scan = vetted.sheets.get(ws.title, SheetScan())
            ws.reset_dimensions()  # a wrong <dimension> must not cut rows off
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    rows = [tuple(values) for values in ws.iter_rows(values_only=True)]
            except Exception as exc:
                if _caused_by_defusedxml(exc):
                    errors.append(f"{name}: {ws.title}: 시트{DTD_REFUSED}")
                else:
                    errors.append(
                        f"{name}: {ws.title}: 시트를 읽을 수 없습니다: {type(exc).__name__}: {exc}"
                    )
                continue
            reader = _SheetReader(name, ws.title, rows, scan, year, errors, found_warnings)
            plan = reader.parse()
            if plan is None:
                if reader.find_header() is None:
                    found_warnings.append(f"{name}: {ws.title}: 표 머리글이 없어 건너뜁니다")
                continue
            plans.append(plan)
    finally:
        workbook.close()
    if not plans and not errors:
        errors.append(
            f"{name}: 어느 시트에서도 표 머리글을 찾지 못했습니다 (expected {EXPECTED_COLUMNS})"
        )
    years: dict[int, str] = {}
    for plan in plans:
        if plan.year in years:
            errors.append(
                f"{name}: {plan.sheet}: {plan.year}년 표가 시트 '{years[plan.year]}'에도 있습니다 "
                "(expected 한 연도에 시트 하나; --sheet로 고르세요)"
            )
        years[plan.year] = plan.sheet
    if errors:
        raise ImportFailed(errors, name, vetted.sha256)
    return plans, found_warnings


# --- step 4: upsert --------------------------------------------------------------------


@dataclass
class YearReport:
    year: int
    sheet: str
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    reordered: list[str] = field(default_factory=list)  # counted as unchanged
    changed: bool = False  # anything written for this year (areas, sections, title too)

    @property
    def summary(self) -> str:
        line = (
            f"{self.year}년: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.missing)} missing"
        )
        if self.pruned:
            line += f", {len(self.pruned)} pruned"
        return line


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    dry_run: bool
    years: list[YearReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


PROGRAM_FIELDS = [
    "position",
    "target",
    *(f"{prefix}_{name}" for prefix in ("budget", "per_company") for name in (
        "text", "won", "values", "is_max", "is_approx", "per", "quantity", "unit", "undecided"
    )),
    "search_text",
]  # fmt: skip
CHANGE_LABELS = {
    "position": "순서",
    "target": "지원대상",
    "search_text": None,
    "milestones": "추진일정",
    "contacts": "문의처",
    "eligibility": "지원대상 유형",
}


def _change_label(name: str) -> str | None:
    if name in CHANGE_LABELS:
        return CHANGE_LABELS[name]
    return "지원규모" if name.startswith("budget_") else "업체평균"


def import_plan(
    path: str | Path,
    *,
    year: int | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    prune: bool = False,
    display_name: str | None = None,
) -> ImportReport:
    """Import the sheet; raises ImportFailed (nothing written) on any error."""
    vetted = vet_file(path, display_name)
    plans, found_warnings = read_workbook(vetted, year, sheet)
    report = ImportReport(vetted.name, vetted.sha256, dry_run, warnings=found_warnings)
    # A dry run only reads; outside a transaction it takes no write lock.
    try:
        with nullcontext() if dry_run else _one_transaction():
            for plan in plans:
                report.years.append(_upsert(plan, vetted, dry_run=dry_run, prune=prune))
    except IntegrityError as exc:
        # Another import or an admin edit wrote the same rows meanwhile.
        raise ImportFailed(
            [f"{vetted.name}: 데이터베이스가 저장을 거부했습니다: {exc} (expected 다시 실행)"],
            vetted.name,
            vetted.sha256,
        ) from None
    return report


@contextmanager
def _one_transaction():
    """All or nothing; the per-row delete signals (cache versions) become one UPDATE."""
    from portal.signals import bumps_coalesced

    with transaction.atomic(), bumps_coalesced():
        yield


def _milestone_template(label: str, year: int, cache: dict):
    from schedules.models import Milestone

    key = label
    if key not in cache:
        template = Milestone(label=label, start_month=1, end_month=1)
        template.derive_from_label(year)
        cache[key] = (template.label, template.kind, template.start_date, template.end_date)
    return cache[key]


def _upsert(sheet_plan: SheetPlan, vetted: VettedFile, *, dry_run: bool, prune: bool) -> YearReport:
    from contacts.models import ContactDesk
    from programs.models import Eligibility, Plan, Program, ProgramContact, Section, SupportArea
    from schedules.models import Milestone

    year = sheet_plan.year
    report = YearReport(year=year, sheet=sheet_plan.sheet)
    now = timezone.now()
    through = Program.eligibility.through

    # What the database holds for the year, as plain values: a few queries,
    # no model instance per milestone, whatever the size of the plan.
    plan = Plan.objects.filter(year=year).first()
    sections = {s.name: s for s in Section.objects.filter(plan_id=year)} if plan else {}
    areas = {a.name: a for a in SupportArea.objects.filter(plan_id=year)} if plan else {}
    existing: dict[tuple[str, str], dict] = {}
    old_milestones: dict[int, list] = defaultdict(list)
    old_desks: dict[int, list] = defaultdict(list)
    old_codes: dict[int, set] = defaultdict(set)
    if plan:
        for values in Program.objects.for_year(year).values(
            "id", "area__name", "name", *PROGRAM_FIELDS
        ):
            existing[(values["area__name"], values["name"])] = values
        for program_id, *milestone in (
            Milestone.objects.for_year(year)
            .order_by()
            .values_list("program_id", "label", "start_month", "end_month", "kind",
                         "start_date", "end_date")
        ):  # fmt: skip
            old_milestones[program_id].append(tuple(milestone))
        for program_id, *desk in (
            ProgramContact.objects.filter(program__area__plan_id=year)
            .order_by("program_id", "position")
            .values_list("program_id", "desk__organization", "desk__team", "desk__phone",
                         "desk__url")
        ):  # fmt: skip
            old_desks[program_id].append(tuple(desk))
        for program_id, code in through.objects.filter(program__area__plan_id=year).values_list(
            "program_id", "eligibility__code"
        ):
            old_codes[program_id].add(code)

    wanted_desks = {desk.key: desk for p in sheet_plan.programs for desk in p.desks}
    desks = {}
    if wanted_desks:
        phones = {key[2] for key in wanted_desks}
        for desk in ContactDesk.objects.filter(phone__in=phones):
            desks[(desk.organization, desk.team, desk.phone, desk.url)] = desk
    vocabulary = {tag.code: tag for tag in Eligibility.objects.all()}

    # Sections and areas: what to create or move.
    new_sections, moved_sections = [], []
    for position, (section_name, _) in enumerate(sheet_plan.sections):
        section = sections.get(section_name)
        if section is None:
            section = Section(plan_id=year, name=section_name, position=position)
            sections[section_name] = section
            new_sections.append(section)
        elif section.position != position:
            section.position = position
            moved_sections.append(section)
    new_areas, moved_areas = [], []
    area_position = 0
    for section_name, section_areas in sheet_plan.sections:
        section = sections[section_name]
        for area_name, _ in section_areas:
            area = areas.get(area_name)
            if area is None:
                area = SupportArea(
                    plan_id=year, section=section, name=area_name, position=area_position
                )
                areas[area_name] = area
                new_areas.append(area)
            elif area.position != area_position or area.section_id != section.pk:
                area.position = area_position
                area.section = section
                moved_areas.append(area)
            area_position += 1

    # Programs: the wanted state on a scratch instance, compared with the values.
    label_cache: dict = {}
    to_create, to_update = [], []
    wanted: dict[tuple[str, str], Program] = {}
    replace_milestones, replace_contacts, replace_tags = {}, {}, {}
    positions: dict[str, int] = defaultdict(int)
    for row in sheet_plan.programs:
        key = (row.area, row.name)
        old = existing.get(key)
        program = Program(name=row.name, area=areas[row.area])
        program.position = positions[row.area]
        positions[row.area] += 1
        program.target = row.target
        program.budget = row.budget
        program.per_company = row.per_company
        labels = [label for label, _, _ in sorted(row.milestones, key=lambda m: m[1])]
        program.search_text = program.compose_search_text(labels, [d.name for d in row.desks])
        wanted[key] = program

        milestones = []
        for label, start, end in row.milestones:
            clean, kind, start_date, end_date = _milestone_template(label, year, label_cache)
            milestones.append((clean, start, end, kind, start_date, end_date))
        milestones.sort(key=lambda m: (m[1], m[2]))
        codes = set(eligibility_codes(row.target))
        desk_keys = [desk.key for desk in row.desks]

        title = f"{row.area} › {row.name}"
        if old is None:
            to_create.append(program)
            report.created.append(title)
            replace_milestones[key], replace_contacts[key], replace_tags[key] = (
                milestones,
                desk_keys,
                codes,
            )
            continue
        program.pk = old["id"]
        changes = [name for name in PROGRAM_FIELDS if getattr(program, name) != old[name]]
        if sorted(old_milestones[program.pk], key=lambda m: (m[1], m[2])) != milestones:
            changes.append("milestones")
            replace_milestones[key] = milestones
        if old_desks[program.pk] != desk_keys:
            changes.append("contacts")
            replace_contacts[key] = desk_keys
        if old_codes[program.pk] != codes:
            changes.append("eligibility")
            replace_tags[key] = codes
        if not changes:
            report.unchanged.append(title)
            continue
        program.updated_at = now
        to_update.append(program)
        if changes == ["position"]:
            # Renumbered because a program above was added or removed: the
            # order is written, but the program itself did not change.
            report.unchanged.append(title)
            report.reordered.append(title)
            continue
        shown = []
        for change in changes:
            label = _change_label(change)
            if label and label not in shown:
                shown.append(label)
        report.updated.append((title, shown))

    missing = [values for key, values in existing.items() if key not in wanted]
    report.missing = [f"{values['area__name']} › {values['name']}" for values in missing]
    if prune:
        report.pruned = list(report.missing)
    title_changed = plan is not None and plan.title != sheet_plan.title
    report.changed = bool(
        plan is None
        or title_changed
        or new_sections
        or moved_sections
        or new_areas
        or moved_areas
        or to_create
        or to_update
        or (prune and missing)
    )
    if dry_run:
        return report

    # --- writes (inside the caller's transaction) ---
    if plan is None:
        plan = Plan.objects.create(year=year, title=sheet_plan.title)
    Section.objects.bulk_create(new_sections)
    Section.objects.bulk_update(moved_sections, ["position"])
    SupportArea.objects.bulk_create(new_areas)
    SupportArea.objects.bulk_update(moved_areas, ["position", "section"])

    missing_desks = [
        ContactDesk(organization=k[0], team=k[1], phone=k[2], url=k[3])
        for k in wanted_desks
        if k not in desks
    ]
    ContactDesk.objects.bulk_create(missing_desks)
    desks |= {(d.organization, d.team, d.phone, d.url): d for d in missing_desks}
    needed_codes = set().union(*replace_tags.values()) if replace_tags else set()
    missing_tags = [
        Eligibility(code=code, name=label, position=position)
        for position, (code, label, _) in enumerate(VOCABULARY)
        if code not in vocabulary and code in needed_codes
    ]
    Eligibility.objects.bulk_create(missing_tags)
    vocabulary |= {tag.code: tag for tag in missing_tags}

    Program.objects.bulk_create(to_create, batch_size=500)
    Program.objects.bulk_update(to_update, [*PROGRAM_FIELDS, "updated_at"], batch_size=500)

    def replaced(keys) -> list[int]:
        """Existing programs whose rows of a relation are replaced."""
        return [existing[key]["id"] for key in keys if key in existing]

    _delete_in_chunks(Milestone.objects, replaced(replace_milestones))
    Milestone.objects.bulk_create(
        [
            Milestone(
                program=wanted[key],
                label=label,
                start_month=start,
                end_month=end,
                kind=kind,
                start_date=start_date,
                end_date=end_date,
            )
            for key, rows in replace_milestones.items()
            for label, start, end, kind, start_date, end_date in rows
        ],
        batch_size=1000,
    )
    _delete_in_chunks(ProgramContact.objects, replaced(replace_contacts))
    ProgramContact.objects.bulk_create(
        [
            ProgramContact(program=wanted[key], desk=desks[desk_key], position=position)
            for key, desk_keys in replace_contacts.items()
            for position, desk_key in enumerate(desk_keys)
        ],
        batch_size=1000,
    )
    _delete_in_chunks(through.objects, replaced(replace_tags))
    through.objects.bulk_create(
        [
            through(program_id=wanted[key].pk, eligibility_id=vocabulary[code].pk)
            for key, codes in replace_tags.items()
            for code in sorted(codes)
            if code in vocabulary
        ],
        batch_size=1000,
    )
    if prune and missing:
        Program.objects.filter(pk__in=[values["id"] for values in missing]).delete()
        sheet_areas = [
            area for _, section_areas in sheet_plan.sections for area, _ in section_areas
        ]
        SupportArea.objects.filter(plan_id=year, programs__isnull=True).exclude(
            name__in=sheet_areas
        ).delete()
        Section.objects.filter(plan_id=year, areas__isnull=True).exclude(
            name__in=[name for name, _ in sheet_plan.sections]
        ).delete()

    Plan.objects.filter(year=year).update(
        title=sheet_plan.title,
        source_name=vetted.name[:255],
        source_sha256=vetted.sha256,
        imported_at=now,
    )
    if report.changed:
        Plan.objects.filter(year=year).bump_version()
    return report


def _delete_in_chunks(manager, program_ids: list[int], size: int = 500) -> None:
    for start in range(0, len(program_ids), size):
        manager.filter(program_id__in=program_ids[start : start + size]).delete()
