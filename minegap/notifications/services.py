"""Queue e-mails in the outbox (same transaction as the change) and send them."""

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation

from minegap.notifications import tasks
from minegap.notifications.models import Notification


def enqueue(
    *,
    template: str,
    subject: str,
    recipients: Iterable[Any],
    context: dict[str, Any] | None = None,
    attachments: Iterable[dict[str, str]] = (),
) -> list[Notification]:
    """Write one outbox row per recipient and send each after the surrounding transaction commits.

    Each address gets one row even if listed twice (users and addresses, case-insensitive);
    recipients without an address are skipped. `template` names `emails/<template>.txt` (and
    optionally `.html`); `recipients` are users or plain e-mail addresses. The subject is kept
    on one line. The context must be JSON-serialisable (ids, strings, URLs):
    the row is the durable record, so a Redis outage only delays the e-mail.
    `attachments` name stored files (default storage): ``{"path", "filename", "mimetype"}``.
    """
    files = [
        {"path": a["path"], "filename": a["filename"], "mimetype": a.get("mimetype", "")}
        for a in attachments
    ]
    plain_context = json.loads(json.dumps(context or {}, cls=DjangoJSONEncoder))
    clean_subject = " ".join(str(subject).split())[
        : Notification._meta.get_field("subject").max_length
    ]
    language = translation.get_language() or ""
    now = timezone.now()
    rows, seen = [], set()
    for recipient in recipients:
        user = None if isinstance(recipient, str) else recipient
        email = (recipient if user is None else user.email or "").strip()
        if not email or email.lower() in seen:
            continue  # nobody to write to, or already a recipient of this message
        seen.add(email.lower())
        rows.append(
            Notification(
                recipient=user,
                email=email,
                template=template,
                subject=clean_subject,
                language=language,
                context=plain_context,
                attachments=files,
                next_attempt_at=now,
            )
        )
    rows = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    if not ids:
        return rows
    # robust: if the broker is down the row stays pending and the periodic task resends it.
    transaction.on_commit(lambda: [tasks.send_notification.delay(pk) for pk in ids], robust=True)
    return rows
