"""Agreement and payment statement PDFs: rendered by the task, stored, served only to staff and
the voucher's own beneficiaries (a statement only to its own organisation)."""

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD
from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import (
    active_voucher,
    approved_instalment,
    pay_all,
    selected_application,
)
from vouchers import services
from vouchers.documents import generate_statement

pytestmark = pytest.mark.django_db


def _pdf_text(response) -> bytes:
    return b"".join(response.streaming_content)


def test_agreement_rendered_once_and_again_after_share_change(client, staff):
    consortium = selected_application()
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    admin = signed_in(client, consortium.admins[0])
    response = admin.get(reverse("vouchers:my-agreement", args=[voucher.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert _pdf_text(response).startswith(b"%PDF-")
    voucher.refresh_from_db()
    first_name = voucher.agreement_pdf.name
    assert first_name.startswith("private/vouchers/agreements/")
    admin.get(reverse("vouchers:my-agreement", args=[voucher.pk]))
    voucher.refresh_from_db()
    assert voucher.agreement_pdf.name == first_name  # not rendered twice
    # A signature puts the signer in the agreement: rendered again on the next download.
    services.sign_share(
        share=voucher.shares.order_by("pk").first(),
        actor=consortium.admins[0],
        password=DEFAULT_PASSWORD,
    )
    voucher.refresh_from_db()
    assert not voucher.agreement_pdf
    admin.get(reverse("vouchers:my-agreement", args=[voucher.pk]))
    voucher.refresh_from_db()
    assert voucher.agreement_pdf.name not in ("", first_name)
    share = voucher.shares.order_by("pk").last()
    services.adjust_shares(
        voucher=voucher, amounts={share.pk: share.amount - 1}, actor=staff, reason="Fix"
    )
    voucher.refresh_from_db()
    assert not voucher.agreement_pdf


def test_statement_follows_payments_and_stays_private(client, staff, staff2, staff3):
    consortium = selected_application()
    voucher = active_voucher(consortium, staff)
    first, second = voucher.shares.order_by("pk")
    admin = signed_in(client, consortium.admins[0])
    own = reverse("vouchers:my-statement", args=[voucher.pk, first.pk])
    partner = reverse("vouchers:my-statement", args=[voucher.pk, second.pk])
    assert admin.get(partner).status_code == 404
    assert _pdf_text(admin.get(own)).startswith(b"%PDF-")
    first.refresh_from_db()
    assert first.statement_payments == 0
    pay_all(approved_instalment(voucher, staff, staff2), staff3)
    admin.get(own)
    first.refresh_from_db()
    assert first.statement_payments == 1
    outsider = signed_in(client, selected_application().admins[0])
    assert outsider.get(own).status_code == 404
    assert outsider.get(reverse("vouchers:my-agreement", args=[voucher.pk])).status_code == 404


def test_staff_download_and_statement_content(staff_client, staff, staff2, staff3):
    voucher = active_voucher(selected_application(), staff)
    pay_all(approved_instalment(voucher, staff, staff2), staff3)
    share = voucher.shares.order_by("pk").first()
    response = staff_client.get(reverse("vouchers:manage-statement", args=[voucher.pk, share.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert _pdf_text(response).startswith(b"%PDF-")
    share = generate_statement(share_id=share.pk)
    assert share.statement_payments == 1
    response = staff_client.get(reverse("vouchers:manage-agreement", args=[voucher.pk]))
    assert _pdf_text(response).startswith(b"%PDF-")
