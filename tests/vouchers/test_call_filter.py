"""The staff payments list and the exports read the call of their query string with a form: a
call by its slug, an unknown one is a 404 (never a 500, never silently every call)."""

import pytest
from django.urls import reverse

from tests.calls.factories import CallFactory
from tests.vouchers.factories import (
    active_voucher,
    approved_instalment,
    pay_all,
    selected_application,
)

pytestmark = pytest.mark.django_db


def test_payments_and_exports_take_a_call_by_slug_and_refuse_an_unknown_one(
    staff, staff2, staff3, staff_client
):
    call = CallFactory(state="decided")
    other = CallFactory(state="decided")
    voucher = active_voucher(selected_application(call), staff)
    pay_all(approved_instalment(voucher, staff, staff2), staff3)
    payments = reverse("vouchers:manage-payments")
    export = reverse("vouchers:manage-export", args=["vouchers", "csv"])

    of_call = staff_client.get(payments, {"call": call.slug})
    of_other = staff_client.get(payments, {"call": other.slug})

    assert of_call.context["call"] == call
    assert of_call.context["page_obj"].paginator.count == 2
    assert of_other.context["page_obj"].paginator.count == 0
    assert staff_client.get(payments).context["page_obj"].paginator.count == 2
    assert staff_client.get(payments, {"call": "no-such-call"}).status_code == 404
    assert staff_client.get(export, {"call": "no-such-call"}).status_code == 404
    assert staff_client.get(export, {"call": call.slug}).status_code == 200
