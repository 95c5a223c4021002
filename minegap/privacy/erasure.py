"""Erasure of a person's data exports: every copy of their data prepared for download goes at
once (file and row). Nothing is kept: a copy is the person's own, no record needs it."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from minegap.core.personal_data import ErasureOutcome, ErasureSection
from minegap.privacy.models import DataExport


def erase_exports(user, now: datetime) -> ErasureOutcome:
    exports = list(DataExport.objects.select_for_update().filter(user=user))
    files = [(e.file.storage, e.file.name) for e in exports if e.file]
    DataExport.objects.filter(pk__in=[e.pk for e in exports]).delete()
    # After commit: if the erasure rolls back, the rows still name their files.
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    erased = [_("The copies of your data prepared for download")] if exports else []
    return ErasureOutcome(erased=erased, kept=[])


def section() -> ErasureSection:
    return ErasureSection(name="privacy", erase=erase_exports)
