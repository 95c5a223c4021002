"""The exports' retention rule: a file is deleted once its download link has expired.

The row stays (status "expired", no file), so the old link answers "expired" (410) and offers a
new export instead of "not found"; it holds no personal data beyond who asked and when, which
the ledger records too, and goes with the person's account.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from minegap.core.personal_data import RetentionRule
from minegap.privacy.models import DataExport, DataExportStatus


def expired_exports(now: datetime):
    return DataExport.objects.filter(status=DataExportStatus.READY, expires_at__lte=now)


def delete_expired_files(now: datetime, dry_run: bool) -> int:
    due = expired_exports(now)
    if dry_run:
        return due.count()
    count = 0
    for export in due.select_for_update():
        name, storage = export.file.name, export.file.storage
        export.file = ""
        export.status = DataExportStatus.EXPIRED
        export.save(update_fields=["file", "status"])
        # After commit: a rolled-back run must not have deleted files its rows still name.
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        count += 1
    return count


def period() -> str:
    days = settings.DATA_EXPORT_VALID_DAYS
    return ngettext("%(days)d day after it is ready", "%(days)d days after it is ready", days) % {
        "days": days
    }


def rule() -> RetentionRule:
    return RetentionRule(
        name="privacy.data_exports",
        description=_("Copies of your data you asked to download (the “My data” file)"),
        period=lazy(period, str)(),
        apply=delete_expired_files,
    )
