"""What the outbox holds about a person, for the "My data" download: the e-mails written to them
(as a user, or to their address before they registered), as long as the outbox keeps them.

Each message is given as it was sent to them (subject and the details it was written from);
the files attached are named, not included, and their storage names stay private.
"""

from typing import Any

from django.db.models import Q

from minegap.core.personal_data import ExportSection, plain
from minegap.notifications.models import Notification


def export(user) -> dict[str, Any]:
    messages = Notification.objects.filter(
        Q(recipient=user) | Q(recipient__isnull=True, email__iexact=user.email)
    ).order_by("created_at", "pk")
    return plain(
        {
            "emails": [
                {
                    "to": m.email,
                    "subject": m.subject,
                    "template": m.template,
                    "details": m.context,
                    "attachments": [a["filename"] for a in m.attachments],
                    "status": m.status,
                    "queued_at": m.created_at,
                    "sent_at": m.sent_at,
                }
                for m in messages
            ]
        }
    )


def section() -> ExportSection:
    return ExportSection(name="notifications", export=export)
