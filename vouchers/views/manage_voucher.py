"""The staff page of one voucher and its actions. Each action is a POST with its own small form;
an error re-renders the page with the message (status 400), never a half-written record."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from minegap.core.mfa import require_recent_second_factor
from vouchers import selectors, services
from vouchers.forms import (
    AdjustSharesForm,
    ConfirmForm,
    ConfirmReasonForm,
    PublicForm,
    ReasonForm,
    RecordPaymentForm,
    RecoverForm,
    RejectForm,
    RescheduleForm,
    ReviewForm,
)
from vouchers.models import (
    Deliverable,
    DeliverableVersion,
    Instalment,
    InstalmentShare,
    PaymentRequest,
    Voucher,
)
from vouchers.preconditions import payment_approval_refusal, payment_request_refusal
from vouchers.views.beneficiary import serve_version
from vouchers.views.common import StaffView


def _target(model, voucher: Voucher, target: int | None, path: str):
    if target is None:
        raise Http404
    return get_object_or_404(model, pk=target, **{path: voucher})


def _countersign(request, voucher, target, form):
    services.countersign(voucher=voucher, actor=request.user)
    return _("The voucher is countersigned and active.")


def _adjust(request, voucher, target, form):
    services.adjust_shares(
        voucher=voucher,
        amounts=form.amounts(),
        actor=request.user,
        reason=form.cleaned_data["reason"],
    )
    return _("Shares adjusted; beneficiaries sign again.")


def _request(request, voucher, target, form):
    instalment = _target(Instalment, voucher, target, "voucher")
    services.request_payment(instalment=instalment, actor=request.user)
    return _("Payment requested: another staff member approves it.")


def _approve(request, voucher, target, form):
    payment_request = _target(PaymentRequest, voucher, target, "instalment__voucher")
    services.approve_payment(payment_request=payment_request, actor=request.user)
    return _("Payment approved.")


def _reject(request, voucher, target, form):
    payment_request = _target(PaymentRequest, voucher, target, "instalment__voucher")
    services.reject_payment(
        payment_request=payment_request, actor=request.user, comment=form.cleaned_data["comment"]
    )
    return _("Payment request rejected.")


def _pay(request, voucher, target, form):
    split = _target(InstalmentShare, voucher, target, "instalment__voucher")
    data = form.cleaned_data
    services.record_payment(
        split=split,
        actor=request.user,
        idempotency_key=data["idempotency_key"],
        value_date=data["value_date"],
        bank_reference=data["bank_reference"],
        amount=data["amount"],
    )
    return _("Payment recorded.")


def _withhold(request, voucher, target, form):
    instalment = _target(Instalment, voucher, target, "voucher")
    services.withhold_instalment(
        instalment=instalment, actor=request.user, reason=form.cleaned_data["reason"]
    )
    return _("Instalment withheld.")


def _release(request, voucher, target, form):
    instalment = _target(Instalment, voucher, target, "voucher")
    services.release_instalment(
        instalment=instalment, actor=request.user, reason=form.cleaned_data["reason"]
    )
    return _("Withholding lifted.")


def _recover(request, voucher, target, form):
    instalment = _target(Instalment, voucher, target, "voucher")
    services.recover_instalment(
        instalment=instalment,
        actor=request.user,
        amount=form.cleaned_data["amount"],
        reason=form.cleaned_data["reason"],
    )
    return _("Recovery recorded.")


def _review(request, voucher, target, form):
    deliverable = _target(Deliverable, voucher, target, "voucher")
    services.review_deliverable(
        deliverable=deliverable,
        actor=request.user,
        accept=form.cleaned_data["decision"] == "accept",
        comments=form.cleaned_data["comments"],
    )
    return _("Deliverable reviewed.")


def _reschedule(request, voucher, target, form):
    deliverable = _target(Deliverable, voucher, target, "voucher")
    services.reschedule_deliverable(
        deliverable=deliverable,
        due_date=form.cleaned_data["due_date"],
        actor=request.user,
        reason=form.cleaned_data["reason"],
    )
    return _("Due date moved.")


def _public(request, voucher, target, form):
    deliverable = _target(Deliverable, voucher, target, "voucher")
    public = form.cleaned_data["public"]
    services.set_deliverable_public(deliverable=deliverable, public=public, actor=request.user)
    if public:
        return _("The deliverable is shown on the public site once accepted.")
    return _("The deliverable is no longer shown on the public site.")


def _complete(request, voucher, target, form):
    services.complete_voucher(voucher=voucher, actor=request.user)
    return _("Voucher completed.")


def _terminate(request, voucher, target, form):
    services.terminate_voucher(
        voucher=voucher, actor=request.user, reason=form.cleaned_data["reason"]
    )
    return _("Voucher terminated.")


ACTIONS: dict[str, tuple[Callable[..., forms.Form], Callable]] = {
    "countersign": (lambda data, v, t: ConfirmForm(data), _countersign),
    "adjust": (lambda data, v, t: AdjustSharesForm(data, shares=list(v.shares.all())), _adjust),
    "request": (lambda data, v, t: forms.Form(data), _request),
    "approve": (lambda data, v, t: ConfirmForm(data), _approve),
    "reject": (lambda data, v, t: RejectForm(data), _reject),
    # The payment forms on the page are prefixed per beneficiary split.
    "pay": (lambda data, v, t: RecordPaymentForm(data, prefix=f"pay{t}"), _pay),
    "withhold": (lambda data, v, t: ReasonForm(data), _withhold),
    "release": (lambda data, v, t: ReasonForm(data), _release),
    "recover": (lambda data, v, t: RecoverForm(data), _recover),
    "review": (lambda data, v, t: ReviewForm(data), _review),
    "reschedule": (lambda data, v, t: RescheduleForm(data), _reschedule),
    "public": (lambda data, v, t: PublicForm(data), _public),
    "complete": (lambda data, v, t: ConfirmForm(data), _complete),
    "terminate": (lambda data, v, t: ConfirmReasonForm(data), _terminate),
}


class VoucherDetailView(StaffView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_detail(request, self.get_voucher(pk))

    @staticmethod
    def get_voucher(pk: int) -> Voucher:
        try:
            return selectors.voucher_detail(pk)
        except Voucher.DoesNotExist:
            raise Http404 from None


def render_detail(request, voucher, *, error_form=None, error_key="", status=200):
    shares = list(voucher.shares.all())
    instalments = list(voucher.instalments.all())
    # What the payment services would refuse now, asked with the same rules, so that no
    # button is offered that a click would be refused for.
    for instalment in instalments:
        instalment.request_refusal = payment_request_refusal(instalment)
        for payment_request in instalment.payment_requests.all():
            payment_request.approval_refusal = payment_approval_refusal(
                payment_request, request.user
            )
    context = {
        "voucher": voucher,
        "shares": shares,
        "instalments": instalments,
        "deliverables": list(voucher.deliverables.all()),
        "adjust_form": AdjustSharesForm(shares=shares),
        "pay_forms": {
            split.pk: RecordPaymentForm(split=split, prefix=f"pay{split.pk}")
            for instalment in voucher.instalments.all()
            for split in instalment.splits.all()
        },
        "error_form": error_form,
        "error_key": error_key,
    }
    return render(request, "vouchers/manage/voucher_detail.html", context, status=status)


# Acts that commit money: a recent TOTP code first (allauth's re-authentication).
REAUTHENTICATED_ACTIONS = {"countersign", "approve"}


class VoucherActionView(StaffView):
    def post(
        self, request: HttpRequest, pk: int, action: str, target: int | None = None
    ) -> HttpResponse:
        if action not in ACTIONS:
            raise Http404
        if action in REAUTHENTICATED_ACTIONS:
            require_recent_second_factor(request)
        voucher = get_object_or_404(Voucher, pk=pk)
        make_form, handler = ACTIONS[action]
        form = make_form(request.POST, voucher, target)
        if form.is_valid():
            try:
                message = handler(request, voucher, target, form)
            except ValidationError as error:
                for text in error.messages:
                    form.add_error(None, text)
            else:
                messages.success(request, message)
                return redirect("vouchers:manage-voucher", pk=voucher.pk)
        voucher = VoucherDetailView.get_voucher(voucher.pk)
        return render_detail(
            request, voucher, error_form=form, error_key=f"{action}-{target or ''}", status=400
        )


class DeliverableFileView(StaffView):
    def get(self, request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
        version = get_object_or_404(DeliverableVersion, pk=version_pk, deliverable__voucher_id=pk)
        return serve_version(version)
