"""The notification outbox: a row written with the change, sent after commit, retried with
back-off, given up after MAX_ATTEMPTS, never sent twice."""

from datetime import timedelta

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone, translation

from minegap.notifications import sending, tasks
from minegap.notifications.models import Notification
from minegap.notifications.services import enqueue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FAILING_BACKEND = f"{__name__}.FailingBackend"


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def queue_test_message(recipients=("ann@example.eu",), **context):
    return enqueue(
        template="notifications/test_message",
        subject="MineGap test",
        recipients=list(recipients),
        context=context,
    )


def test_row_is_written_in_the_transaction_and_sent_after_commit(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="ann@example.eu", full_name="Ann Andersson")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            (row,) = queue_test_message([user], name="Ann & Bob")
            assert Notification.objects.get().status == Notification.Status.PENDING
        assert mail.outbox == []  # nothing leaves before the commit callbacks run

    assert len(callbacks) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.recipient, row.language) == (
        Notification.Status.SENT,
        1,
        user,
        "en",
    )
    assert row.sent_at is not None
    (message,) = mail.outbox
    assert (message.subject, message.to) == ("MineGap test", ["ann@example.eu"])
    assert message.body.startswith("Hello Ann & Bob,\n\nThis is a test message from MineGap")
    assert "This message was sent to ann@example.eu by MineGap" in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "<p>Hello Ann &amp; Bob,</p>" in html
    assert '<html lang="en">' in html


def test_a_rolled_back_change_leaves_no_row_and_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_test_message()
        raise RuntimeError("the change failed")

    assert (Notification.objects.count(), callbacks, mail.outbox) == (0, [], [])


def test_plain_addresses_and_users_get_one_row_each():
    user = UserFactory(email="bo@example.eu")
    with transaction.atomic():
        rows = queue_test_message(["ann@example.eu", user])
    assert [(row.email, row.recipient) for row in rows] == [
        ("ann@example.eu", None),
        ("bo@example.eu", user),
    ]


def test_the_language_active_when_queued_is_kept():
    with translation.override("fi"), transaction.atomic():
        (row,) = queue_test_message()
    assert row.language == "fi"


def test_a_failure_backs_off_and_the_periodic_task_sends_later(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            (row,) = queue_test_message()

        row.refresh_from_db()
        assert (row.status, row.attempts, row.next_attempt_at) == (
            Notification.Status.PENDING,
            1,
            now + timedelta(minutes=1),
        )
        assert row.last_error == "ConnectionRefusedError: SMTP server unreachable"

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert tasks.send_pending_notifications() == 0  # not due yet: back-off is respected

    with time_machine.travel(now + timedelta(minutes=1, seconds=1), tick=False):
        assert tasks.send_pending_notifications.delay().get() == 1

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Notification.Status.SENT, 2, "")
    assert [m.to for m in mail.outbox] == [["ann@example.eu"]]


def test_back_off_doubles_up_to_six_hours():
    assert [sending.backoff(n) for n in (1, 2, 3, 4, 12)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
        timedelta(hours=6),
    ]


def test_gives_up_after_max_attempts(settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with transaction.atomic():
        (row,) = queue_test_message()

    results = []
    for _ in range(sending.MAX_ATTEMPTS):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        results.append(tasks.send_pending_notifications())

    row.refresh_from_db()
    assert results == [0] * sending.MAX_ATTEMPTS
    assert (row.status, row.attempts) == (Notification.Status.FAILED, sending.MAX_ATTEMPTS)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert (sending.due_notification_ids(), sending.send(row.pk), mail.outbox) == ([], False, [])


def test_sending_twice_sends_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        (row,) = queue_test_message()

    assert sending.send(row.pk) is False
    assert tasks.send_notification.delay(row.pk).get() is False
    assert tasks.send_pending_notifications() == 0
    assert len(mail.outbox) == 1


def test_a_missing_template_counts_as_a_failed_attempt():
    with transaction.atomic():
        (row,) = enqueue(template="notifications/no_such", subject="x", recipients=["a@example.eu"])

    assert sending.send(row.pk) is False

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.PENDING, 1)
    assert row.last_error == "TemplateDoesNotExist: emails/notifications/no_such.txt"


def test_a_text_only_template_sends_without_html(tmp_path, settings):
    (tmp_path / "emails" / "tests").mkdir(parents=True)
    (tmp_path / "emails" / "tests" / "plain.txt").write_text("Deadline: {{ when }} & soon")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    with transaction.atomic():
        (row,) = enqueue(
            template="tests/plain",
            subject="x",
            recipients=["a@example.eu"],
            context={"when": "1 May"},
        )

    assert sending.send(row.pk) is True
    (message,) = mail.outbox
    assert (message.body, message.alternatives) == ("Deadline: 1 May & soon", [])


def test_beat_resends_pending_notifications_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["resend-pending-notifications"]
    assert entry == {
        "task": "minegap.notifications.tasks.send_pending_notifications",
        "schedule": crontab(minute="*"),
    }
    assert entry["task"] == tasks.send_pending_notifications.name


def test_each_address_gets_one_row_and_blank_addresses_are_skipped():
    user = UserFactory(email="ann@example.eu")
    with transaction.atomic():
        rows = queue_test_message([user, "ANN@example.eu", " ", "bo@example.eu", "bo@example.eu"])
    assert [(row.email, row.recipient) for row in rows] == [
        ("ann@example.eu", user),
        ("bo@example.eu", None),
    ]
    assert Notification.objects.count() == 2


def test_the_subject_is_kept_on_one_line_and_within_the_column():
    with transaction.atomic():
        (row,) = enqueue(
            template="notifications/test_message",
            subject="Deadline\nextended  " + "x" * 300,
            recipients=["a@example.eu"],
        )
    row.refresh_from_db()
    assert row.subject == ("Deadline extended " + "x" * 300)[:200]


def test_no_recipients_writes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        assert queue_test_message([]) == []
    assert (Notification.objects.count(), callbacks) == (0, [])
