"""Retention: `apply_retention` runs every registered rule; the outbox forgets old e-mails."""

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from minegap.ledger.models import AuditEntry, LedgerHead
from minegap.notifications import tasks
from minegap.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 10, 3, 0, tzinfo=UTC)  # 90 days before is 10 January


def message(created: datetime, status: str, email: str) -> Notification:
    with time_machine.travel(created, tick=False):
        return Notification.objects.create(
            recipient=UserFactory(email=email),
            email=email,
            template="notifications/test_message",
            subject="Your application",
            context={"name": "Ann Example"},
            status=status,
            sent_at=created if status == Notification.Status.SENT else None,
        )


@pytest.fixture
def outbox():
    return {
        "old_sent": message(datetime(2026, 1, 1, tzinfo=UTC), "sent", "old-sent@example.eu"),
        "old_failed": message(datetime(2026, 1, 9, tzinfo=UTC), "failed", "old-failed@example.eu"),
        "old_pending": message(datetime(2026, 1, 2, tzinfo=UTC), "pending", "owed@example.eu"),
        "recent_sent": message(datetime(2026, 1, 11, tzinfo=UTC), "sent", "recent@example.eu"),
    }


def run(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def ledger_head() -> tuple[int, str]:
    head = LedgerHead.objects.filter(pk=1).first()
    return (head.seq, head.hash) if head else (0, "")


def test_a_dry_run_reports_what_is_due_and_changes_nothing(outbox):
    entries, head = AuditEntry.objects.count(), ledger_head()

    output = run("--dry-run")

    assert "notifications.outbox: 2 due\n" in output
    assert Notification.objects.count() == 4
    assert AuditEntry.objects.count() == entries
    assert ledger_head() == head


def test_a_run_deletes_the_messages_past_the_period_that_are_no_longer_owed(outbox):
    output = run()

    assert "notifications.outbox: 2 changed\n" in output
    remaining = set(Notification.objects.values_list("pk", flat=True))
    assert remaining == {outbox["old_pending"].pk, outbox["recent_sent"].pk}


def test_a_run_writes_one_ledger_entry_with_counts_only(outbox):
    before = AuditEntry.objects.count()

    run()

    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "privacy.retention.applied"
    assert entry.actor_id is None
    assert entry.data["counts"]["notifications.outbox"] == 2
    written = json.dumps(entry.data)
    assert "example.eu" not in written
    assert "Ann Example" not in written


@override_settings(RETENTION_OUTBOX_DAYS=30)
def test_the_period_comes_from_the_setting(outbox):
    # 30 days before 10 April is 11 March: every message but the pending one is due.
    output = run("--dry-run")

    assert "notifications.outbox: 3 due\n" in output


def test_the_daily_task_applies_the_same_rules(outbox):
    with time_machine.travel(NOW, tick=False):
        counts = tasks.apply_retention()

    assert counts["notifications.outbox"] == 2
    assert Notification.objects.count() == 2
    assert AuditEntry.objects.order_by("-seq").first().action == "privacy.retention.applied"


def test_beat_applies_retention_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry == {
        "task": "minegap.notifications.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=43),
    }
    assert entry["task"] == tasks.apply_retention.name
