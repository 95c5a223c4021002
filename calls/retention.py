"""Retention of applications: what goes when an application's period ends.

Unsuccessful applications (drafts never submitted, withdrawn, ineligible, rejected) are kept
for the period their call states (`Call.unsuccessful_retention_months`, after its deadline; the
default comes from settings, which the privacy notice reads): the time for complaints, redress
and audits. Then their answers, files and submitted copies are deleted and the people who worked
on them unlinked. The application row stays, with its reference, state, organisations and
amounts: the call's public figures (proposals received, eligible) count it, and the evaluation's
records (scores, the frozen decision) point at it.

`remove_personal_data` is also what the vouchers app calls when a funded project's period ends
(the funded project's title, summary and awards stay: they are the public record).
"""

import calendar
from datetime import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from calls.models import (
    Answer,
    Application,
    ApplicationState,
    ApplicationVersion,
    Attachment,
    Call,
    ConsortiumMember,
)
from minegap.core.personal_data import RetentionRule

UNSUCCESSFUL_STATES = (
    ApplicationState.DRAFT,
    ApplicationState.WITHDRAWN,
    ApplicationState.INELIGIBLE,
    ApplicationState.REJECTED,
)


def months_after(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when it is shorter)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _without_personal_data(snapshot: dict) -> dict:
    return {
        **snapshot,
        "answers": [{**answer, "text": ""} for answer in snapshot.get("answers", [])],
        "attachments": [],
        "members": [{**member, "budget_description": ""} for member in snapshot.get("members", [])],
    }


def remove_personal_data(applications: QuerySet[Application], now: datetime) -> int:
    """Delete the answers, attached files and receipts of `applications`, blank the same in
    their submitted copies, and unlink the people named (who created, submitted, signed the
    declaration of honour, invited, uploaded). Returns how many applications changed.

    Files are deleted from storage only after the transaction commits: a rollback keeps them.
    """
    ids = list(
        applications.filter(personal_data_removed_at__isnull=True).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    files = [
        name
        for name in Attachment.objects.filter(application_id__in=ids).values_list("file", flat=True)
        if name
    ]
    Attachment.objects.filter(application_id__in=ids).delete()
    Answer.objects.filter(application_id__in=ids).update(text="")
    for version in ApplicationVersion.objects.filter(application_id__in=ids):
        if version.receipt:
            files.append(version.receipt.name)
        version.snapshot = _without_personal_data(version.snapshot)
        version.receipt = ""
        version.submitted_by = None
        version.save(update_fields=["snapshot", "receipt", "submitted_by"])
    members = ConsortiumMember.objects.filter(application_id__in=ids)
    # A member row without an organisation is only an invitation to an address.
    members.filter(organisation__isnull=True).delete()
    members.update(
        invited_email="", invited_by=None, declaration_signed_by=None, budget_description=""
    )
    Application.objects.filter(pk__in=ids).update(created_by=None, personal_data_removed_at=now)
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return len(ids)


def unsuccessful_due(now: datetime) -> QuerySet[Application]:
    """Unsuccessful applications whose call's period (after its deadline) ended by `now`."""
    calls = Call.objects.filter(closes_at__isnull=False).values_list(
        "pk", "closes_at", "unsuccessful_retention_months"
    )
    due_calls = [pk for pk, closes_at, months in calls if months_after(closes_at, months) <= now]
    return Application.objects.filter(
        call_id__in=due_calls,
        state__in=UNSUCCESSFUL_STATES,
        personal_data_removed_at__isnull=True,
    )


def apply_unsuccessful(now: datetime, dry_run: bool) -> int:
    due = unsuccessful_due(now)
    if dry_run:
        return due.count()
    return remove_personal_data(due, now)


def unsuccessful_period() -> str:
    months = settings.RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS
    return ngettext(
        "The period the call states, after its deadline (%(months)d month unless it says "
        "otherwise)",
        "The period the call states, after its deadline (%(months)d months unless it says "
        "otherwise)",
        months,
    ) % {"months": months}


def unsuccessful_rule() -> RetentionRule:
    return RetentionRule(
        name="calls.unsuccessful_applications",
        description=_(
            "Applications not funded (drafts, withdrawn, ineligible, rejected): answers, files, "
            "submitted copies and the people who worked on them"
        ),
        period=lazy(unsuccessful_period, str)(),
        apply=apply_unsuccessful,
    )
