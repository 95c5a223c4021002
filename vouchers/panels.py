"""The vouchers app's dashboard panels: a beneficiary's vouchers with the next step, and the
payments that wait for staff (four-eyes approvals first)."""

from dataclasses import dataclass

from django.db.models import OuterRef
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from calls import tab_counts
from calls.models import Call, CallState
from calls.tab_counts import count_of, tab_figures
from minegap.core import slots
from minegap.core.addresses import reverse_once
from vouchers import selectors
from vouchers.models import (
    Instalment,
    InstalmentState,
    PaymentRequest,
    PaymentRequestState,
    Voucher,
)
from vouchers.next_steps import reader_organisations, voucher_next_step, with_next_step_data


@dataclass(frozen=True)
class VoucherItem:
    voucher: Voucher
    next_step: str
    urgent: bool


def beneficiary_panel(request: HttpRequest) -> dict:
    admin_of, member_of = reader_organisations(request.user)
    vouchers = with_next_step_data(selectors.vouchers_for_user(request.user))[:10]
    return {
        "items": [VoucherItem(v, *voucher_next_step(v, admin_of, member_of)) for v in vouchers],
    }


def staff_panel(request: HttpRequest) -> dict:
    requests = list(
        PaymentRequest.objects.filter(state=PaymentRequestState.REQUESTED)
        .select_related("instalment__voucher")
        .order_by("pk")
    )
    to_record = list(
        Instalment.objects.filter(state=InstalmentState.APPROVED)
        .select_related("voucher")
        .order_by("voucher__agreement_number", "sequence")
    )
    return {
        "to_record": to_record,
        # Four-eyes: only requests someone else made can be approved by this person.
        "to_approve": [r for r in requests if r.requested_by_id != request.user.pk],
        "mine": [r for r in requests if r.requested_by_id == request.user.pk],
    }


def _vouchers_tab(request: HttpRequest, call: Call) -> slots.Tab:
    count = tab_figures(call)["vouchers"]
    return slots.tab(
        request,
        url=reverse_once("vouchers:manage-call", call.slug),
        label=_("Vouchers"),
        url_names=("vouchers:manage-call", "vouchers:manage-services"),
        count=count,
        count_label=ngettext("voucher", "vouchers", count),
        stage=call.effective_state in (CallState.RESULTS_PUBLISHED, CallState.ARCHIVED),
    )


def register() -> None:
    tab_counts.register("vouchers", lambda: count_of(Voucher.objects.filter(call=OuterRef("pk"))))
    slots.register_tab("calls:call-tabs", "vouchers", _vouchers_tab, order=90)
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
