"""Recognise an uploaded file's type from its content (magic bytes), never from its name."""

import hashlib
import zipfile
from typing import IO

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
MAX_CONTENT_TYPES_XML = 1024 * 1024


def _ooxml_kind(stream: IO[bytes]) -> str | None:
    """A DOCX or XLSX is a zip whose [Content_Types].xml declares the main part's type."""
    try:
        with zipfile.ZipFile(stream) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_XML:
                return None
            declared = archive.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    for kind, main_type in OOXML_MAIN_TYPES.items():
        if main_type in declared:
            return kind
    return None


def detect_kind(stream: IO[bytes]) -> str | None:
    """The `FileKind` value of the file's content, or None when it is none we accept."""
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
