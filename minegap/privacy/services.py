"""Asking for a personal data export ("My data"). The task's work is in `building.py`."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from minegap.ledger.labels import register_action_labels
from minegap.ledger.services import record
from minegap.privacy import tasks
from minegap.privacy.models import DataExport
from minegap.privacy.preconditions import export_refusal

register_action_labels(
    {
        "privacy.export.requested": _("Personal data export asked for"),
        "privacy.export.ready": _("Personal data export ready"),
        "privacy.export.failed": _("Personal data export failed"),
    }
)


def request_export(*, user) -> DataExport:
    """Record the request and start building the file once the request is committed.

    One export in progress per person, however many clicks or tabs: the person's row is locked
    before the check, and a database constraint refuses a second one that got past it. The
    ledger entry names the person and the export by id only, never what it contains.
    """
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)
        refusal = export_refusal(user)
        if refusal:
            raise ValidationError(refusal)
        try:
            with transaction.atomic():
                export = DataExport.objects.create(
                    user=user, language=translation.get_language() or ""
                )
        except IntegrityError as exc:
            raise ValidationError(export_refusal(user) or str(exc)) from exc
        record(action="privacy.export.requested", target=export, actor=user)
        # robust: with the broker down the request stays queued and the page says so. A lambda,
        # not a partial: Django names the callback (__qualname__) when it logs a failure.
        export_id = export.pk
        transaction.on_commit(lambda: tasks.build_data_export.delay(export_id), robust=True)
    return export
