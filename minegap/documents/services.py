"""PDF documents rendered from HTML templates with WeasyPrint (called from Celery tasks).

Templates extend ``documents/base_pdf.html`` (A4, DejaVu Sans, page numbers, running footer)
and link static files the usual way (``{% static 'css/pdf.css' %}``). Resources are read
from the static files on disk only: nothing is fetched over the network, so a template can
never leak data to, or wait on, another server.
"""

import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher


def static_file_path(url: str) -> Path | None:
    """The file on disk behind a `file:` URL that points into the static files, else None."""
    path = posixpath.normpath(unquote(urlsplit(url).path))
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if path.startswith(static_prefix):
        return _static_name_path(path.removeprefix(static_prefix))
    candidate = Path(path).resolve()
    roots = [Path(root).resolve() for root in settings.STATICFILES_DIRS]
    if any(candidate.is_relative_to(root) for root in roots) and candidate.is_file():
        return candidate
    return None


def _static_name_path(name: str) -> Path | None:
    """The file behind a static name as `{% static %}` wrote it. The static storage's copy
    first: under production storage (a manifest) the name is hashed (`css/pdf.1a2b3c.css`) and
    only the collected files have it; then the finders, which know the source names only
    (development and tests, where nothing was collected)."""
    try:
        stored = Path(staticfiles_storage.path(name))
    except (SuspiciousFileOperation, NotImplementedError):  # outside the root; not on disk
        stored = None
    if stored is not None and stored.is_file():
        return stored
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    return Path(found) if found else None


class StaticFilesFetcher(URLFetcher):
    """Serves `data:` URLs and static files; refuses everything else (http, other files)."""

    def fetch(self, url: str, headers: dict | None = None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:") and (path := static_file_path(url)) is not None:
            return super().fetch(path.as_uri(), headers)
        raise ValueError(f"PDF documents may use local static files only, not {url}")


def render_document(template_name: str, context: dict[str, Any]) -> Document:
    """The laid-out document (pages, boxes), for callers that need more than the bytes."""
    html = render_to_string(template_name, context)
    return HTML(
        string=html,
        base_url=str(settings.BASE_DIR / "static") + "/",
        url_fetcher=StaticFilesFetcher(),
    ).render()


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render `template_name` (a Django HTML template) to PDF bytes.

    Static files (CSS, fonts, images) are resolved from the static files on disk, never over
    the network.
    """
    return render_document(template_name, context).write_pdf()
