"""`manage.py send_test_email` goes through the outbox and says what happened."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from minegap.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)  # the command commits, like production


def test_sends_a_test_message(capsys):
    call_command("send_test_email", "ops@example.eu")

    assert capsys.readouterr().out == "Sent a test message to ops@example.eu.\n"
    (message,) = mail.outbox
    assert (message.subject, message.to) == ("MineGap test message", ["ops@example.eu"])
    assert Notification.objects.get().status == Notification.Status.SENT


def test_reports_a_failure_and_keeps_the_row_for_retry(settings):
    settings.EMAIL_BACKEND = "tests.minegap.test_notifications_outbox.FailingBackend"

    with pytest.raises(CommandError, match=r"Sending failed \(ConnectionRefusedError: SMTP"):
        call_command("send_test_email", "ops@example.eu")

    row = Notification.objects.get()
    assert (row.status, row.attempts) == (Notification.Status.PENDING, 1)


def test_refuses_a_non_address():
    with pytest.raises(CommandError, match="Not an e-mail address: nope"):
        call_command("send_test_email", "nope")
    assert Notification.objects.count() == 0
