"""Recognise an uploaded file's type from its content (magic bytes), never from its name."""

import hashlib
import zipfile
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from calls.models import FileKind

ZIP_MAGIC = b"PK\x03\x04"
OOXML_MAIN_TYPES = {
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.PNG: "image/png",
    FileKind.JPEG: "image/jpeg",
}
# The part each OOXML type cannot do without (ECMA-376's usual names, which every writer uses).
OOXML_MAIN_PARTS = {FileKind.DOCX: "word/document.xml", FileKind.XLSX: "xl/workbook.xml"}
MAX_CONTENT_TYPES_XML = 1024 * 1024
# An upload is at most 20 MB; its archive may unpack to this much, and no more than this many
# times its compressed size (text XML compresses about 10 times; zip bombs thousands of times).
MAX_UNPACKED_BYTES = 250 * 1024 * 1024
MAX_UNPACK_RATIO = 100


def _check_unpacked_size(archive: zipfile.ZipFile) -> None:
    """Refuse an archive that would inflate past the limits, from its declared sizes (the zip
    module refuses to read past a member's declared size)."""
    members = archive.infolist()
    unpacked = sum(info.file_size for info in members)
    packed = sum(info.compress_size for info in members)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_UNPACK_RATIO * max(packed, 1):
        raise ValidationError(
            _(
                "This document unpacks to %(mb)s MB, more than a DOCX or XLSX file may "
                "(%(limit)s MB, %(ratio)s times its size). Save it again from your office "
                "program, or upload it as PDF."
            )
            % {
                "mb": unpacked // (1024 * 1024),
                "limit": MAX_UNPACKED_BYTES // (1024 * 1024),
                "ratio": MAX_UNPACK_RATIO,
            },
            code="archive_too_large",
        )


def _ooxml_kind(stream: IO[bytes]) -> str | None:
    """A DOCX or XLSX is a zip whose [Content_Types].xml declares the main part's type and
    which holds that main part. Raises ValidationError for an archive that inflates too far."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_XML:
                return None
            _check_unpacked_size(archive)
            declared = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    for kind, main_type in OOXML_MAIN_TYPES.items():
        if main_type in declared and OOXML_MAIN_PARTS[kind] in names:
            return kind
    return None


def detect_kind(stream: IO[bytes]) -> str | None:
    """The `FileKind` value of the file's content, or None when it is none we accept.
    Raises ValidationError (with its reason) for a DOCX/XLSX that would inflate too far."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    kind: str | None = None
    if head.startswith(b"%PDF-"):
        kind = FileKind.PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = FileKind.PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = FileKind.JPEG
    elif head.startswith(ZIP_MAGIC):
        kind = _ooxml_kind(stream)
    stream.seek(0)
    return kind


def sha256_of(stream: IO[bytes]) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(64 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()
