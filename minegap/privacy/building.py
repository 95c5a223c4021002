"""Building a person's data export: every registered section, one JSON file, kept privately.

Runs in the Celery task. The export is claimed once (queued → running in one UPDATE), so a
task delivered twice builds it once. The progress is written after each section outside any
transaction, so the page that polls it sees it move. A section that fails fails the export
(marked failed, recorded, raised for the worker's log): a file missing a section is never
delivered as if it were complete.
"""

import json
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minegap.core.personal_data import export_sections, plain
from minegap.ledger.services import record
from minegap.notifications.services import enqueue
from minegap.privacy.models import DataExport, DataExportStatus

logger = logging.getLogger(__name__)

FORMAT = "minegap.personal-data.v1"


def build_export(*, export_id: int) -> DataExport | None:
    """Build the file of a queued export; None when it was not queued (already taken)."""
    claimed = DataExport.objects.filter(pk=export_id, status=DataExportStatus.QUEUED).update(
        status=DataExportStatus.RUNNING, progress=0
    )
    if not claimed:
        return None
    export = DataExport.objects.select_related("user").get(pk=export_id)
    try:
        content = json.dumps(_document(export), ensure_ascii=False, indent=2).encode()
        return _deliver(export, content)
    except Exception:
        logger.exception("Personal data export %s failed", export_id)
        with transaction.atomic():
            DataExport.objects.filter(pk=export_id).update(status=DataExportStatus.FAILED)
            record(action="privacy.export.failed", target=export)
        raise


def _document(export: DataExport) -> dict[str, Any]:
    sections = export_sections()
    document: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "person": {"id": export.user_id},
        "sections": {},
    }
    for done, section in enumerate(sections, start=1):
        document["sections"][section.name] = section.export(export.user)
        # The last step, storing the file, is the remaining part of 100.
        percent = done * 100 // (len(sections) + 1)
        DataExport.objects.filter(pk=export.pk).update(progress=percent)
    return plain(document)


def _deliver(export: DataExport, content: bytes) -> DataExport:
    export.file.save("export.json", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            now = timezone.now()
            export.status = DataExportStatus.READY
            export.progress = 100
            export.size = len(content)
            export.finished_at = now
            export.expires_at = now + timedelta(days=settings.DATA_EXPORT_VALID_DAYS)
            export.save(
                update_fields=["file", "status", "progress", "size", "finished_at", "expires_at"]
            )
            enqueue(
                template="privacy/export_ready",
                subject=_("Your data is ready to download"),
                recipients=[export.user],
                context={
                    "url": settings.SITE_URL.rstrip("/") + reverse("privacy:my-data"),
                    "expires_at": timezone.localtime(export.expires_at).date(),
                },
            )
            record(action="privacy.export.ready", target=export)
    except Exception:
        export.file.delete(save=False)
        raise
    return export
