"""Impact test helpers: a call's funded beneficiaries with signed vouchers, built through the
real services, and a project ended by accepting its final deliverable."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from calls.models import Call
from impact import services
from impact.models import Indicator
from tests.calls.factories import PDF_BYTES, CallFactory
from tests.vouchers.factories import Consortium, active_voucher, selected_application
from vouchers import services as voucher_services
from vouchers.models import Voucher


def funded(call: Call, staff, *, amounts=(Decimal("30000.00"), Decimal("20000.00"))):
    """(consortium, voucher): an active voucher whose beneficiaries all signed."""
    consortium = selected_application(call, amounts)
    return consortium, active_voucher(consortium, staff)


def end_project(voucher: Voucher, consortium: Consortium, staff) -> None:
    final = voucher.deliverables.get(is_final=True)
    voucher_services.submit_deliverable(
        deliverable=final,
        upload=SimpleUploadedFile("final.pdf", PDF_BYTES),
        actor=consortium.admins[0],
    )
    voucher_services.review_deliverable(deliverable=final, actor=staff, accept=True)


def call_with_indicators(staff) -> tuple[Call, Indicator, Indicator]:
    """A decided call asking turnover (money, baseline and final) and a yes/no at the final."""
    call = CallFactory(state="decided")
    turnover = services.create_indicator(
        call=call,
        actor=staff,
        name="Turnover",
        unit="EUR",
        kind="money",
        at_baseline=True,
        at_final=True,
        at_follow_up=False,
        order=10,
        required=True,
    )
    pilot = services.create_indicator(
        call=call,
        actor=staff,
        name="Piloted at a mine",
        unit="",
        kind="yes_no",
        at_baseline=False,
        at_final=True,
        at_follow_up=False,
        order=20,
        required=False,
    )
    return call, turnover, pilot
