"""The impact app's part of "My data" and of retention: the reports a person submitted; who
submitted is unlinked with the funded project's other records, the figures stay."""

from decimal import Decimal

import pytest
from django.utils import timezone

from impact import personal_data, retention, services
from impact.models import ImpactReport
from tests.factories import UserFactory
from tests.impact.factories import call_with_indicators, funded
from vouchers.models import Voucher

pytestmark = pytest.mark.django_db


def test_export_and_retention_of_who_reported(staff):
    call, turnover, _pilot = call_with_indicators(staff)
    consortium, voucher = funded(call, staff)
    admin = consortium.admins[0]
    share = voucher.shares.get(organisation=consortium.organisations[0])
    report = services.submit_report(
        share=share, stage="baseline", actor=admin, values={turnover.pk: Decimal("7.00")}
    )
    assert personal_data.export(admin) == {
        "impact_reports_submitted": [
            {
                "agreement_number": voucher.agreement_number,
                "organisation": share.organisation.legal_name,
                "stage": "baseline",
                "version": 1,
                "submitted_at": report.submitted_at.isoformat(timespec="milliseconds").replace(
                    "+00:00", "Z"
                ),
            }
        ]
    }
    assert personal_data.export(UserFactory()) == {"impact_reports_submitted": []}
    now = timezone.now()
    assert retention.apply(now, dry_run=True) == 0  # the project's period has not ended
    Voucher.objects.filter(pk=voucher.pk).update(personal_data_removed_at=now)
    assert retention.apply(now, dry_run=True) == 1
    assert retention.apply(now, dry_run=False) == 1
    report.refresh_from_db()
    assert (report.submitted_by, report.values.get().number) == (None, Decimal("7.00"))
    assert ImpactReport.objects.count() == 1
