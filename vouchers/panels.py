"""The vouchers app's dashboard panels: a beneficiary's vouchers with the next step, and the
payments that wait for staff (four-eyes approvals first)."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.selectors import organisations_for_user
from calls.models import Call, CallState
from minegap.core import slots
from vouchers import selectors
from vouchers.models import (
    BeneficiaryShare,
    Deliverable,
    DeliverableState,
    PaymentRequest,
    PaymentRequestState,
    Voucher,
    VoucherState,
)


@dataclass(frozen=True)
class VoucherItem:
    voucher: Voucher
    next_step: str
    urgent: bool


def _next_step(voucher: Voucher, admin_of: set[int]) -> tuple[str, bool]:
    if voucher.state == VoucherState.DRAFTED:
        unsigned = [s for s in voucher.shares.all() if s.signed_at is None and s.refused_at is None]
        if any(share.organisation_id in admin_of for share in unsigned):
            return _("Next: sign the voucher agreement."), True
        if unsigned:
            return _("Waiting for the other beneficiaries to sign."), False
        return _("Waiting for the programme to countersign."), False
    if voucher.state == VoucherState.SIGNED:
        return _("Waiting for the programme to countersign."), False
    if voucher.state == VoucherState.ACTIVE:
        open_deliverables = [
            d
            for d in voucher.deliverables.all()
            if d.state in (DeliverableState.PENDING, DeliverableState.RETURNED)
        ]
        if open_deliverables:
            first = min(open_deliverables, key=lambda d: (d.due_date, d.pk))
            if first.state == DeliverableState.RETURNED:
                return _("Next: revise the returned deliverable “%(title)s”.") % {
                    "title": first.title
                }, True
            return _("Next: deliver “%(title)s” by %(due)s.") % {
                "title": first.title,
                "due": date_format(first.due_date, "DATE_FORMAT"),
            }, False
        return _("Deliverables submitted: staff review them; payments follow acceptance."), False
    if voucher.state == VoucherState.COMPLETED:
        return _("Completed: every instalment is settled."), False
    return _("Terminated."), False


def beneficiary_panel(request: HttpRequest) -> dict:
    admin_of = set(
        organisations_for_user(request.user)
        .filter(memberships__user=request.user, memberships__role="admin")
        .values_list("pk", flat=True)
    )
    vouchers = selectors.vouchers_for_user(request.user).prefetch_related(
        Prefetch("shares", queryset=BeneficiaryShare.objects.order_by("pk")),
        Prefetch("deliverables", queryset=Deliverable.objects.order_by("due_date", "pk")),
    )[:10]
    return {
        "items": [VoucherItem(v, *_next_step(v, admin_of)) for v in vouchers],
    }


def staff_panel(request: HttpRequest) -> dict:
    requests = list(
        PaymentRequest.objects.filter(state=PaymentRequestState.REQUESTED)
        .select_related("instalment__voucher")
        .order_by("pk")
    )
    return {
        # Four-eyes: only requests someone else made can be approved by this person.
        "to_approve": [r for r in requests if r.requested_by_id != request.user.pk],
        "mine": [r for r in requests if r.requested_by_id == request.user.pk],
    }


def _vouchers_tab(request: HttpRequest, call: Call) -> dict:
    count = Voucher.objects.filter(call=call).count()
    return slots.tab(
        request,
        url=reverse("vouchers:manage-call", args=[call.slug]),
        label=_("Vouchers"),
        url_names=("vouchers:manage-call", "vouchers:manage-services"),
        count=count,
        count_label=ngettext("voucher", "vouchers", count),
        stage=call.effective_state in (CallState.RESULTS_PUBLISHED, CallState.ARCHIVED),
    )


def register() -> None:
    slots.register("calls:call-tabs", "vouchers", "includes/tab.html", _vouchers_tab, order=90)
    slots.register(
        "dashboard:applicant",
        "vouchers-mine",
        "vouchers/dashboard_panel.html",
        beneficiary_panel,
        order=40,
    )
    slots.register(
        "dashboard:staff",
        "vouchers-payments",
        "vouchers/panels/staff.html",
        staff_panel,
        order=30,
    )
