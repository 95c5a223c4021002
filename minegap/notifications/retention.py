"""The outbox's retention rule: old messages hold addresses and personal context, so they go.

Rows are deleted, not blanked: the resend logic reads only pending rows, and a message the
outbox still owes (pending) is kept until it is sent or given up (a few days of back-off), so
an old row is only ever a record of what was sent, which the ledger already keeps without the
address.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from minegap.core.personal_data import RetentionRule
from minegap.notifications.models import Notification


def old_messages(now: datetime):
    cutoff = now - timedelta(days=settings.RETENTION_OUTBOX_DAYS)
    return Notification.objects.filter(created_at__lt=cutoff).exclude(
        status=Notification.Status.PENDING
    )


def delete_old_messages(now: datetime, dry_run: bool) -> int:
    due = old_messages(now)
    if dry_run:
        return due.count()
    deleted, _per_model = due.delete()
    return deleted


def period() -> str:
    days = settings.RETENTION_OUTBOX_DAYS
    return ngettext("%(days)d day after sending", "%(days)d days after sending", days) % {
        "days": days
    }


def rule() -> RetentionRule:
    return RetentionRule(
        name="notifications.outbox",
        description=_("E-mails sent by the platform (address, subject and message details)"),
        # Lazy: read from the setting each time it is shown, like the rule reads it when applied.
        period=lazy(period, str)(),
        apply=delete_old_messages,
    )
