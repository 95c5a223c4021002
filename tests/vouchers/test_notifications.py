"""Beneficiaries are told by e-mail (outbox): agreement to sign, voucher active, deliverable
reviewed, payment recorded (only to the paid organisation's admins)."""

from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from minegap.notifications.models import Notification
from tests.calls.factories import PDF_BYTES
from tests.vouchers.factories import active_voucher, approved_instalment, selected_application
from vouchers import services
from vouchers.models import InstalmentShare

pytestmark = pytest.mark.django_db(transaction=True)


def _rows(template):
    return sorted(
        Notification.objects.filter(template=f"vouchers/{template}").values_list("email", "subject")
    )


def test_beneficiaries_told_at_each_step(staff, staff2, staff3):
    consortium = selected_application()
    voucher = active_voucher(consortium, staff)
    emails = sorted(a.email for a in consortium.admins)
    number = voucher.agreement_number
    assert _rows("agreement_ready") == [
        (e, f"Voucher agreement {number}: ready to sign") for e in emails
    ]
    assert _rows("voucher_active") == [(e, f"Voucher {number} is active") for e in emails]
    instalment = approved_instalment(voucher, staff, staff2)
    split = InstalmentShare.objects.filter(instalment=instalment).order_by("pk").first()
    mail.outbox.clear()
    services.record_payment(
        split=split,
        actor=staff3,
        idempotency_key="n1",
        value_date=date(2026, 11, 23),
        bank_reference="TRF-N1",
    )
    assert _rows("payment_recorded") == [
        (consortium.admins[0].email, f"Payment recorded under voucher {number}")
    ]
    assert [m.to for m in mail.outbox] == [[consortium.admins[0].email]]
    assert "A payment of €15,000.00 to " in mail.outbox[0].body
    assert "value date 23 November 2026, bank reference TRF-N1." in mail.outbox[0].body
    assert "TRF-N1" in mail.outbox[0].body
    final = voucher.deliverables.get(is_final=True)
    services.submit_deliverable(
        deliverable=final,
        upload=SimpleUploadedFile("r.pdf", PDF_BYTES),
        actor=consortium.admins[0],
    )
    mail.outbox.clear()
    services.review_deliverable(
        deliverable=final, actor=staff, accept=False, comments="Add the field test."
    )
    assert sorted(m.to[0] for m in mail.outbox) == emails
    assert "Add the field test." in mail.outbox[0].body
