"""Agreement and payment statement PDFs, for staff and for the voucher's own beneficiaries.

A missing or outdated document is rendered by a Celery task; with a worker the page says it is
being prepared (202), without one (tasks run eagerly) the fresh file is served at once."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from vouchers import tasks
from vouchers.documents import statement_is_current
from vouchers.models import BeneficiaryShare, Voucher
from vouchers.views.common import StaffView


def _pdf(file, name: str) -> FileResponse:
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


def _pending(request: HttpRequest, voucher: Voucher) -> HttpResponse:
    return render(request, "vouchers/document_pending.html", {"voucher": voucher}, status=202)


def agreement_response(request: HttpRequest, voucher: Voucher) -> HttpResponse:
    if not voucher.agreement_pdf:
        tasks.render_agreement.delay(voucher.pk)
        voucher.refresh_from_db(fields=["agreement_pdf"])
        if not voucher.agreement_pdf:
            return _pending(request, voucher)
    return _pdf(voucher.agreement_pdf, f"{voucher.agreement_number}-agreement.pdf")


def statement_response(request: HttpRequest, share: BeneficiaryShare) -> HttpResponse:
    if not statement_is_current(share):
        tasks.render_statement.delay(share.pk)
        share.refresh_from_db(fields=["statement_pdf", "statement_payments"])
        if not statement_is_current(share):
            return _pending(request, share.voucher)
    return _pdf(share.statement_pdf, f"{share.voucher.agreement_number}-statement-{share.pk}.pdf")


class StaffAgreementView(StaffView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return agreement_response(request, get_object_or_404(Voucher, pk=pk))


class StaffStatementView(StaffView):
    def get(self, request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
        share = get_object_or_404(
            BeneficiaryShare.objects.select_related("voucher"), pk=share_pk, voucher_id=pk
        )
        return statement_response(request, share)


def _own_voucher(request: HttpRequest, pk: int) -> Voucher:
    voucher = get_object_or_404(Voucher, pk=pk)
    if not request.user.has_perm("vouchers.view_voucher", voucher):
        raise Http404
    return voucher


@login_required
def my_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    return agreement_response(request, _own_voucher(request, pk))


@login_required
def my_statement(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    """Only the statement of the user's own organisation, not a partner's."""
    voucher = _own_voucher(request, pk)
    share = get_object_or_404(
        BeneficiaryShare.objects.select_related("voucher"),
        pk=share_pk,
        voucher=voucher,
        organisation__memberships__user=request.user,
    )
    return statement_response(request, share)
