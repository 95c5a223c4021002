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
) -> list[Notification]:
    """Write one outbox row per recipient and send each after the surrounding transaction commits.

    `template` names `templates/emails/<template>.txt` (and optionally `.html`). `recipients` are
    users or plain e-mail addresses. The context must be JSON-serialisable (ids, strings, URLs):
    the row is the durable record, so a Redis outage only delays the e-mail.
    """
    plain_context = json.loads(json.dumps(context or {}, cls=DjangoJSONEncoder))
    rows = []
    for recipient in recipients:
        email = recipient if isinstance(recipient, str) else recipient.email
        user = None if isinstance(recipient, str) else recipient
        rows.append(
            Notification.objects.create(
                recipient=user,
                email=email,
                template=template,
                subject=str(subject),
                language=translation.get_language() or "",
                context=plain_context,
                next_attempt_at=timezone.now(),
            )
        )
    ids = [row.pk for row in rows]
    # robust: if the broker is down the row stays pending and the periodic task resends it.
    transaction.on_commit(lambda: [tasks.send_notification.delay(pk) for pk in ids], robust=True)
    return rows
