"""Building a person's data export: every registered section, one JSON file, kept privately.

Runs in the Celery task. The export is claimed once (queued → running in one UPDATE), so a
task delivered twice builds it once; a periodic task restarts exports no worker took (see
`waiting_export_ids`), so a broker outage delays an export but never loses it. The progress is written after each section outside any
transaction, so the page that polls it sees it move. A section that fails fails the export
(marked failed, recorded, raised for the worker's log): a file missing a section is never
delivered as if it were complete.
"""

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minegap.core.personal_data import export_sections, plain
from minegap.ledger.services import record
from minegap.notifications.services import enqueue
from minegap.privacy.models import DataExport, DataExportStatus

logger = logging.getLogger(__name__)

FORMAT = "minegap.personal-data.v1"


# A queued export no worker took within this time (the broker was down when it was asked for)
# is handed to a worker again by the periodic task; one running for longer than STALLED_AFTER
# lost its worker (a crash mid-build) and may be claimed again.
WAITING_AFTER = timedelta(minutes=2)
STALLED_AFTER = timedelta(minutes=30)


def claimable(now: datetime) -> Q:
    return Q(status=DataExportStatus.QUEUED) | Q(
        status=DataExportStatus.RUNNING, created_at__lt=now - STALLED_AFTER
    )


def waiting_export_ids(now: datetime) -> list[int]:
    """Exports that should be running by now but are not: what the periodic task restarts."""
    return list(
        DataExport.objects.filter(claimable(now), created_at__lt=now - WAITING_AFTER)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def build_export(*, export_id: int) -> DataExport | None:
    """Build the file of a queued (or stalled) export; None when another worker has it or it
    is done, so a task delivered twice builds it once."""
    claimed = DataExport.objects.filter(claimable(timezone.now()), pk=export_id).update(
        status=DataExportStatus.RUNNING, progress=0
    )
    if not claimed:
        return None
    export = DataExport.objects.select_related("user").get(pk=export_id)
    try:
        with translation.override(export.language or settings.LANGUAGE_CODE):
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
