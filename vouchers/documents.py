"""The voucher agreement and the payment statements: PDFs rendered by Celery tasks from the
database (WeasyPrint), stored on the voucher / share, and served by permission-checked views.

Both are (re)rendered on demand: the agreement when it is missing (cleared whenever the shares
change), a statement when payments were recorded since it was rendered."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from calls.selectors import submitted_texts
from minegap.documents.services import render_pdf
from vouchers import selectors
from vouchers.models import BeneficiaryShare, Payment, Voucher


def generate_agreement(*, voucher_id: int) -> Voucher:
    voucher = selectors.voucher_detail(voucher_id)
    if voucher.agreement_pdf:
        return voucher
    pdf = render_pdf(
        "vouchers/pdf/agreement.html",
        {
            "voucher": voucher,
            # The project as submitted and selected, not an edit made after its last submission.
            "project": submitted_texts([voucher.application])[voucher.application_id],
            "shares": list(voucher.shares.all()),
            "instalments": list(voucher.instalments.all()),
            "deliverables": list(voucher.deliverables.all()),
        },
    )
    with transaction.atomic():
        locked = Voucher.objects.select_for_update().get(pk=voucher_id)
        if not locked.agreement_pdf:
            locked.agreement_pdf.save("agreement.pdf", ContentFile(pdf), save=False)
            locked.save(update_fields=["agreement_pdf"])
    return locked


def statement_payments(share: BeneficiaryShare) -> list[Payment]:
    return list(
        Payment.objects.filter(beneficiary=share)
        .select_related("instalment")
        .order_by("value_date", "pk")
    )


def statement_is_current(share: BeneficiaryShare) -> bool:
    return bool(share.statement_pdf) and share.statement_payments == share.payments.count()


def generate_statement(*, share_id: int) -> BeneficiaryShare:
    share = BeneficiaryShare.objects.select_related(
        "organisation", "voucher__call", "voucher__application"
    ).get(pk=share_id)
    if statement_is_current(share):
        return share
    payments = statement_payments(share)
    splits = list(
        share.instalment_splits.select_related("instalment").order_by("instalment__sequence")
    )
    pdf = render_pdf(
        "vouchers/pdf/statement.html",
        {
            "share": share,
            "voucher": share.voucher,
            "payments": payments,
            "splits": splits,
            "paid": sum((p.amount for p in payments), Decimal("0.00")),
            "generated_at": timezone.now(),
        },
    )
    with transaction.atomic():
        locked = BeneficiaryShare.objects.select_for_update().get(pk=share_id)
        if locked.statement_pdf:
            locked.statement_pdf.delete(save=False)
        locked.statement_pdf.save("statement.pdf", ContentFile(pdf), save=False)
        locked.statement_payments = len(payments)
        locked.save(update_fields=["statement_pdf", "statement_payments"])
    return locked
