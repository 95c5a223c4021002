"""Deliverables: upload, return with comments, resubmit as a new version, accept; the final
instalment becomes due; completion and termination."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minegap.ledger.models import AuditEntry
from tests.calls.factories import PDF_BYTES
from tests.factories import UserFactory
from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import (
    active_voucher,
    approved_instalment,
    pay_all,
    selected_application,
)
from vouchers import services
from vouchers.models import DeliverableState, InstalmentState, VoucherState
from vouchers.selectors import committed_total

pytestmark = pytest.mark.django_db


def pdf(name="report.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES)


@pytest.fixture
def setup(staff):
    consortium = selected_application()
    voucher = active_voucher(consortium, staff)
    return consortium, voucher, voucher.deliverables.get(is_final=True)


def test_return_resubmit_accept_makes_final_instalment_due(setup, staff):
    consortium, voucher, final = setup
    first = services.submit_deliverable(deliverable=final, upload=pdf(), actor=consortium.admins[1])
    assert (first.number, first.kind) == (1, "pdf")
    with pytest.raises(ValidationError, match="waiting for review"):
        services.submit_deliverable(deliverable=final, upload=pdf(), actor=consortium.admins[0])
    with pytest.raises(ValidationError, match="what to change"):
        services.review_deliverable(deliverable=final, actor=staff, accept=False)
    services.review_deliverable(
        deliverable=final, actor=staff, accept=False, comments="Add the field-test results."
    )
    final.refresh_from_db()
    assert final.state == DeliverableState.RETURNED
    assert voucher.instalments.get(sequence=2).state == InstalmentState.SCHEDULED

    second = services.submit_deliverable(
        deliverable=final, upload=pdf("report-v2.pdf"), actor=consortium.admins[0]
    )
    services.review_deliverable(deliverable=final, actor=staff, accept=True)

    final.refresh_from_db()
    assert final.state == DeliverableState.ACCEPTED
    assert list(final.versions.values_list("number", "outcome", "comments")) == [
        (1, "returned", "Add the field-test results."),
        (2, "accepted", ""),
    ]
    assert second.original_name == "report-v2.pdf"
    assert voucher.instalments.get(sequence=2).state == InstalmentState.DUE
    assert list(
        AuditEntry.objects.filter(action__startswith="vouchers.deliverable.").values_list(
            "action", flat=True
        )
    ) == [
        "vouchers.deliverable.submitted",
        "vouchers.deliverable.returned",
        "vouchers.deliverable.submitted",
        "vouchers.deliverable.accepted",
    ]


def test_file_checked_by_content(setup):
    consortium, _voucher, final = setup
    with pytest.raises(ValidationError, match="not a PDF"):
        services.submit_deliverable(
            deliverable=final,
            upload=SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf"),
            actor=consortium.admins[0],
        )
    with pytest.raises(ValidationError, match="empty"):
        services.submit_deliverable(
            deliverable=final, upload=SimpleUploadedFile("e.pdf", b""), actor=consortium.admins[0]
        )
    assert final.versions.count() == 0


def test_only_beneficiaries_upload(setup):
    _consortium, _voucher, final = setup
    other = selected_application()
    with pytest.raises(PermissionDenied):
        services.submit_deliverable(deliverable=final, upload=pdf(), actor=other.admins[0])
    with pytest.raises(PermissionDenied):
        services.submit_deliverable(deliverable=final, upload=pdf(), actor=UserFactory())


def test_full_cycle_then_completion(setup, staff, staff2, staff3):
    consortium, voucher, final = setup
    pay_all(approved_instalment(voucher, staff, staff2), staff3)
    with pytest.raises(ValidationError, match="Every deliverable"):
        services.complete_voucher(voucher=voucher, actor=staff)
    services.submit_deliverable(deliverable=final, upload=pdf(), actor=consortium.admins[0])
    services.review_deliverable(deliverable=final, actor=staff, accept=True)
    with pytest.raises(ValidationError, match="Every instalment"):
        services.complete_voucher(voucher=voucher, actor=staff)
    last = approved_instalment(voucher, staff2, staff, sequence=2)
    pay_all(last, staff3, prefix="final")
    voucher = services.complete_voucher(voucher=voucher, actor=staff)
    assert voucher.state == VoucherState.COMPLETED
    assert sum(i.paid_amount for i in voucher.instalments.all()) == voucher.amount


def test_termination_withholds_unpaid_and_keeps_paid_committed(setup, staff, staff2, staff3):
    _consortium, voucher, _final = setup
    pay_all(approved_instalment(voucher, staff, staff2), staff3)
    services.terminate_voucher(voucher=voucher, actor=staff, reason="Project abandoned")
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.TERMINATED
    assert list(voucher.instalments.order_by("sequence").values_list("state", flat=True)) == [
        InstalmentState.PAID,
        InstalmentState.WITHHELD,
    ]
    assert committed_total(voucher.call) == Decimal("25000.00")


def test_reschedule_with_reason_through_the_page(setup, staff, client):
    _consortium, voucher, final = setup
    url = reverse("vouchers:manage-action-on", args=[voucher.pk, "reschedule", final.pk])
    staff_client = signed_in(client, staff)
    assert staff_client.post(url, {"due_date": "2027-12-31"}).status_code == 400
    response = staff_client.post(url, {"due_date": "2027-12-31", "reason": "Mine closed in winter"})
    assert response.status_code == 302
    final.refresh_from_db()
    assert final.due_date == date(2027, 12, 31)
    assert final.milestone.due_date == date(2027, 12, 31)
    entry = AuditEntry.objects.get(action="vouchers.deliverable.rescheduled")
    assert entry.notes["reason"] == "Mine closed in winter"
