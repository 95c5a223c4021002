"""PDF documents rendered from HTML templates with WeasyPrint (called from Celery tasks)."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render `template_name` (a Django HTML template) to PDF bytes.

    Static files (CSS, fonts, images) are resolved from `static/` on disk, never over the network.
    """
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static")).write_pdf()
