"""Every uploaded file is downloaded under a name ending in the extension of the type detected
from its content (`calls.files.detect_kind`), typed as that type: what the uploader called it
(`run-me.bat`) never decides how the reader's computer opens it."""

import re

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from calls.files import CONTENT_TYPES

UNKNOWN_TYPE = "application/octet-stream"
MAX_STEM = 100
# Path separators, control characters and characters Windows refuses in file names.
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(name: str, kind: str) -> str:
    """`name` without its folders and its own extension, with the extension of `kind` ("bin"
    when unknown)."""
    name = re.split(r"[\\/]", name)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = UNSAFE.sub("-", stem).strip(" .-")[:MAX_STEM] or "file"
    extension = kind if kind in CONTENT_TYPES else "bin"
    return f"{stem}.{extension}"


def file_download(field_file: FieldFile, *, name: str, kind: str) -> FileResponse:
    """A private file as a download named after `name`, with the extension and content type of
    its detected `kind`; 404 when the stored file is missing."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(name, kind),
        content_type=CONTENT_TYPES.get(kind, UNKNOWN_TYPE),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
