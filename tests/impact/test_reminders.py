"""Late reports are reminded once per beneficiary and stage, through the outbox."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from impact import services
from impact.models import StageReminder
from impact.tasks import send_impact_reminders
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.impact.factories import call_with_indicators, funded

pytestmark = pytest.mark.django_db


def test_a_late_baseline_is_reminded_once(staff):
    call, turnover, _pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    lead, partner = consortium.admins
    services.submit_report(
        share=voucher.shares.get(organisation=consortium.organisations[0]),
        stage="baseline",
        actor=lead,
        values={turnover.pk: Decimal("10.00")},
    )
    # Due 30 days after the signature: not late on day 30, late on day 31.
    assert services.send_reminders(now=timezone.now() + timedelta(days=30)) == 0
    later = timezone.now() + timedelta(days=31)
    assert services.send_reminders(now=later) == 1
    mail = Notification.objects.get(template="impact/reminder")
    assert mail.email == partner.email
    assert mail.subject == "Impact report overdue: Baseline (the year before applying)"
    share = voucher.shares.get(organisation=consortium.organisations[1])
    assert list(StageReminder.objects.values_list("share", "stage")) == [(share.pk, "baseline")]
    assert AuditEntry.objects.get(action="impact.reminders.sent").data == {
        "reminders": [[share.pk, "baseline"]]
    }
    # A rerun (the beat task) sends nothing twice.
    assert services.send_reminders(now=later + timedelta(days=1)) == 0
    assert send_impact_reminders() == 0
    assert Notification.objects.filter(template="impact/reminder").count() == 1
