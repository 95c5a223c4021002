"""The Django admin (superusers) can put failed outbox rows back in the queue; the ledger is
read-only there."""

import pytest
from django.urls import reverse
from django.utils import timezone

from minegap.notifications.models import Notification
from tests.auth import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    sign_in(client, UserFactory(is_superuser=True, is_staff=True))
    return client


def test_retry_action_requeues_failed_rows_but_not_sent_ones(admin_client):
    failed = Notification.objects.create(
        email="a@example.eu", template="t", subject="s", status="failed", attempts=8
    )
    sent = Notification.objects.create(
        email="b@example.eu", template="t", subject="s", status="sent", attempts=1,
        sent_at=timezone.now(),
    )  # fmt: skip

    response = admin_client.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
    )

    assert response.status_code == 302
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts, sent.status) == ("pending", 0, "sent")
    assert failed.next_attempt_at is not None


def test_the_ledger_admin_offers_no_change(admin_client):
    assert admin_client.get(reverse("admin:ledger_auditentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:ledger_auditentry_add")).status_code == 403
