"""The outbox's part of an erasure: every message to the person goes, sent or still pending (a
pending one would otherwise be sent to the address after it was erased). The summary of the
erasure itself is queued after this section ran, so it is the one message left."""

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import ngettext

from minegap.core.personal_data import ErasureOutcome, ErasureSection
from minegap.notifications.models import Notification


def erase(user: Any, now: datetime) -> ErasureOutcome:
    deleted, _per_model = Notification.objects.filter(
        Q(recipient=user) | Q(email__iexact=user.email)
    ).delete()
    erased = []
    if deleted:
        erased.append(
            ngettext(
                "%(count)d e-mail the platform sent or was to send you",
                "%(count)d e-mails the platform sent or was to send you",
                deleted,
            )
            % {"count": deleted}
        )
    return ErasureOutcome(erased=erased, kept=[])


def section() -> ErasureSection:
    return ErasureSection(name="notifications", erase=erase)
