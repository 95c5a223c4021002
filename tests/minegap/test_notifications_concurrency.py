"""Two workers picking up the same outbox row at once send it once (PostgreSQL row locks)."""

import threading
import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections, transaction

from minegap.notifications import sending
from minegap.notifications.models import Notification
from minegap.notifications.services import enqueue


class SlowBackend(EmailBackend):
    """A slow SMTP server: the second worker arrives while the first is still sending."""

    def send_messages(self, messages):
        time.sleep(0.5)
        return super().send_messages(messages)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks between concurrent transactions need PostgreSQL (CI runs it there).",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_send_once(settings):
    with transaction.atomic():
        (row,) = enqueue(
            template="notifications/test_message", subject="Once", recipients=["a@example.eu"]
        )
    # The commit ran the eager task already; put the row back as if that had failed.
    Notification.objects.filter(pk=row.pk).update(status=Notification.Status.PENDING, sent_at=None)
    mail.outbox.clear()
    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    start = threading.Barrier(3)
    results: list[bool] = []

    def worker() -> None:
        try:
            start.wait()
            results.append(sending.send(row.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == [False, False, True]
    assert [m.subject for m in mail.outbox] == ["Once"]
    assert Notification.objects.get(pk=row.pk).status == Notification.Status.SENT
