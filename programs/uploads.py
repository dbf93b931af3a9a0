"""Yearly sheets uploaded in the admin, kept on the server between the preview
and the confirm, so the confirm applies exactly the file that was previewed.

A file is stored once under its SHA-256 (`MEDIA_ROOT/plan-uploads/<sha256>.xlsx`)
and named by that hash in a signed token (`preview_token`) that also carries
the version of every plan year the preview read: confirming refuses when
either changed. Files go when applied, and any older than `KEEP_FOR` go on the
next upload or with `purge_plan_uploads`.

What is checked here is what only an upload needs (the name, the size limit of
the admin, macros); everything else about the file is the importer's vetting,
the same for the admin and the command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.utils import timezone

from programs.models import Plan

UPLOAD_DIR = "plan-uploads"
KEEP_FOR = dt.timedelta(days=1)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SIGNING_NAMESPACE = "programs.uploads.preview"
# Parts and content types only a macro-enabled workbook has.
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
_MACRO_TYPE = b"macroEnabled"


class UploadRefused(Exception):
    """The upload cannot be used; the message says why, in Korean."""


@dataclass(frozen=True)
class KeptUpload:
    sha256: str
    name: str  # as the person's computer called it; for messages only

    @property
    def path(self) -> Path:
        return upload_dir() / f"{self.sha256}.xlsx"


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR


def file_size(size: int) -> str:
    """12_345_678 -> "11.8 MB"; 10_485_760 -> "10 MB"; 2_048 -> "2 KB"."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} 바이트"


def keep(uploaded) -> KeptUpload:
    """Store an uploaded file (Django's UploadedFile) under its SHA-256, after
    the checks only an upload needs; raises UploadRefused."""
    name = _display_name(uploaded.name)
    limit = settings.PLAN_UPLOAD_MAX_BYTES
    if not name.lower().endswith(".xlsx"):
        raise UploadRefused(
            f"{name}: 엑셀 통합 문서(.xlsx)가 아닙니다 (expected 이름이 .xlsx로 끝나는 파일; "
            ".xls나 .xlsm은 Excel에서 'Excel 통합 문서'로 다시 저장하세요)"
        )
    if uploaded.size > limit:
        raise UploadRefused(
            f"{name}: 파일이 너무 큽니다: {file_size(uploaded.size)} "
            f"(expected {file_size(limit)} 이하)"
        )
    purge()
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as stream:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            stream.write(chunk)
    partial = Path(stream.name)
    kept = KeptUpload(digest.hexdigest(), name)
    try:
        _refuse_macros(partial, name)
    except UploadRefused:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(kept.path)
    return kept


def _display_name(raw: str | None) -> str:
    """The file's own name, without any folder, printable and short."""
    name = Path((raw or "").replace("\\", "/")).name
    name = "".join(char for char in name if char.isprintable()).strip()
    return name[:120] or "이름 없는 파일"


def _refuse_macros(path: Path, name: str) -> None:
    """A macro-enabled workbook renamed to .xlsx. Reading the zip's directory
    is all this does; a file that is not a zip is left to the importer, which
    says what it is."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = [info.filename for info in archive.infolist()]
            types = (
                archive.read("[Content_Types].xml")
                if "[Content_Types].xml" in parts
                and archive.getinfo("[Content_Types].xml").file_size < 1024 * 1024
                else b""
            )
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if any(part.lower().rsplit("/", 1)[-1] in _MACRO_PARTS for part in parts) or (
        _MACRO_TYPE in types
    ):
        raise UploadRefused(
            f"{name}: 매크로가 든 통합 문서는 받지 않습니다 "
            "(expected 매크로 없는 'Excel 통합 문서(.xlsx)'로 다시 저장한 파일)"
        )


def kept_upload(sha256: str, name: str) -> KeptUpload | None:
    """The kept file with this hash, or None when it is gone (applied, purged)."""
    if not _SHA256.fullmatch(sha256 or ""):
        return None
    kept = KeptUpload(sha256, _display_name(name))
    return kept if kept.path.is_file() else None


def discard(kept: KeptUpload) -> None:
    kept.path.unlink(missing_ok=True)


def purge(older_than: dt.timedelta = KEEP_FOR, now: dt.datetime | None = None) -> int:
    """Delete kept files (and abandoned partial ones) older than `older_than`;
    returns how many went."""
    folder = upload_dir()
    if not folder.is_dir():
        return 0
    cutoff = (now or timezone.now()).timestamp() - older_than.total_seconds()
    removed = 0
    for path in folder.iterdir():
        if path.suffix in (".xlsx", ".part") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# --- the preview token ----------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What a preview showed: which file, read as which year, against which
    versions of the plan years it touches (None: the year did not exist)."""

    upload: KeptUpload
    year: int | None
    versions: dict[int, int | None]


def plan_versions(years) -> dict[int, int | None]:
    found = dict(Plan.objects.filter(year__in=list(years)).values_list("year", "version"))
    return {year: found.get(year) for year in years}


def preview_token(preview: Preview) -> str:
    return signing.dumps(
        {
            "sha256": preview.upload.sha256,
            "name": preview.upload.name,
            "year": preview.year,
            "versions": [[year, version] for year, version in preview.versions.items()],
        },
        salt=_SIGNING_NAMESPACE,
        compress=True,
    )


def read_token(token: str) -> Preview:
    """The preview a token names; UploadRefused when it is not one of ours,
    older than the kept files, or its file is gone."""
    try:
        data = signing.loads(token, salt=_SIGNING_NAMESPACE, max_age=KEEP_FOR)
    except signing.SignatureExpired:
        raise UploadRefused(
            "미리보기가 하루가 지나 만료되었습니다 (expected 파일을 다시 올려 미리보기)"
        ) from None
    except signing.BadSignature:
        raise UploadRefused(
            "미리보기 정보를 읽을 수 없습니다 (expected 파일을 다시 올려 미리보기)"
        ) from None
    upload = kept_upload(data["sha256"], data["name"])
    if upload is None:
        raise UploadRefused(
            f"{data['name']}: 미리본 파일이 서버에 없습니다. 이미 반영했거나 하루가 지나 "
            "지워졌습니다 (expected 파일을 다시 올려 미리보기)"
        )
    versions = {int(year): version for year, version in data["versions"]}
    return Preview(upload, data["year"], versions)


def changed_years(preview: Preview) -> list[int]:
    """The plan years someone changed since the preview (an import, an edit)."""
    now = plan_versions(preview.versions)
    return [year for year, version in preview.versions.items() if now[year] != version]


def file_changed(preview: Preview) -> bool:
    """The kept file no longer has the hash it is kept under."""
    digest = hashlib.sha256()
    with preview.upload.path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest() != preview.upload.sha256
