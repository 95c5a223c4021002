"""Staff pages: dashboard figures, draft, detail actions (four-eyes, idempotent payment form),
payments list, exports; query counts independent of the number of rows."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.calls.factories import CallFactory
from tests.evaluation.test_call_tabs import TAB_BAR_QUERIES
from tests.factories import UserFactory
from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import (
    active_voucher,
    approved_instalment,
    pay_all,
    selected_application,
)
from vouchers import services
from vouchers.models import InstalmentShare, Payment, Voucher, VoucherState

pytestmark = pytest.mark.django_db
D = Decimal


def test_staff_only(client):
    call = CallFactory()
    client.force_login(UserFactory())
    for url in (
        reverse("vouchers:manage-home"),
        reverse("vouchers:manage-call", args=[call.slug]),
        reverse("vouchers:manage-payments"),
        reverse("vouchers:manage-export", args=["payments", "csv"]),
    ):
        assert client.get(url).status_code == 403


def test_draft_from_dashboard_needs_confirmation(staff_client):
    consortium = selected_application(CallFactory(state="decided", total_budget=D("80000.00")))
    call = consortium.application.call
    url = reverse("vouchers:manage-call", args=[call.slug])
    response = staff_client.post(url, {})
    assert response.status_code == 400
    assert Voucher.objects.count() == 0
    response = staff_client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    voucher = Voucher.objects.get()
    page = staff_client.get(url).content.decode()
    assert re.search(r'data-figure="committed">€50,000.00<', page)
    assert re.search(r'data-figure="remaining">€30,000.00<', page)
    assert voucher.agreement_number in page


def test_dashboard_budget_after_payment(staff, staff2, staff3, client):
    call = CallFactory(state="decided", total_budget=D("200000.00"))
    voucher = active_voucher(selected_application(call), staff)
    pay_all(approved_instalment(voucher, staff, staff2), staff3)
    page = signed_in(client, staff).get(reverse("vouchers:manage-call", args=[call.slug]))
    html = page.content.decode()
    assert re.search(r'data-figure="committed">€50,000.00<', html)
    assert re.search(r'data-figure="paid">€25,000.00<', html)
    assert re.search(r'data-figure="remaining">€150,000.00<', html)
    assert re.search(r'data-state="paid">€25,000.00<', html)
    assert re.search(r'data-state="scheduled">€25,000.00<', html)


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count(staff_client, staff, django_assert_num_queries, count):
    call = CallFactory(state="decided")
    for _ in range(count):
        services.draft_voucher(application=selected_application(call).application, actor=staff)
    url = reverse("vouchers:manage-call", args=[call.slug])
    staff_client.get(url)  # warm the session and permission caches
    # 14 until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
    with django_assert_num_queries(11 + TAB_BAR_QUERIES):
        response = staff_client.get(url)
    assert response.context["page_obj"].paginator.count == count


def test_four_eyes_through_the_pages(staff, staff2, client):
    voucher = active_voucher(selected_application(), staff)
    instalment = voucher.instalments.get(sequence=1)
    first = signed_in(client, staff)
    response = first.post(
        reverse("vouchers:manage-action-on", args=[voucher.pk, "request", instalment.pk])
    )
    assert response.status_code == 302
    request_pk = instalment.payment_requests.get().pk
    request_url = reverse("vouchers:manage-action-on", args=[voucher.pk, "request", instalment.pk])
    approve_url = reverse("vouchers:manage-action-on", args=[voucher.pk, "approve", request_pk])
    page = first.get(reverse("vouchers:manage-voucher", args=[voucher.pk])).content.decode()
    # The request's state instead of a second "Request payment", and no approval to its author.
    assert request_url not in page
    assert "A request for this instalment already waits for approval." in page
    assert (
        "Four-eyes rule: you requested this payment, so another staff member approves it." in page
    )
    assert approve_url not in page
    assert first.post(request_url).status_code == 400  # what the page no longer offers
    response = first.post(
        reverse("vouchers:manage-action-on", args=[voucher.pk, "approve", request_pk]),
        {"confirm": "on"},
    )
    assert response.status_code == 400
    assert "Four-eyes rule" in response.content.decode()
    second = signed_in(Client(), staff2)
    page = second.get(reverse("vouchers:manage-voucher", args=[voucher.pk])).content.decode()
    assert approve_url in page
    assert "Four-eyes rule" not in page
    response = second.post(
        reverse("vouchers:manage-action-on", args=[voucher.pk, "approve", request_pk]),
        {"confirm": "on"},
    )
    assert response.status_code == 302
    instalment.refresh_from_db()
    assert instalment.state == "approved"


def test_payment_form_submitted_twice_records_once(staff, staff2, staff3, client):
    voucher = active_voucher(selected_application(), staff)
    instalment = approved_instalment(voucher, staff, staff2)
    split = InstalmentShare.objects.filter(instalment=instalment).order_by("pk").first()
    recorder = signed_in(client, staff3)
    page = recorder.get(reverse("vouchers:manage-voucher", args=[voucher.pk]))
    form = page.context["pay_forms"][split.pk]
    key = form.initial["idempotency_key"]
    data = {
        f"pay{split.pk}-idempotency_key": key,
        f"pay{split.pk}-amount": "15000.00",
        f"pay{split.pk}-value_date": "2026-11-23",
        f"pay{split.pk}-bank_reference": "TRF-001",
        f"pay{split.pk}-confirm": "on",
    }
    url = reverse("vouchers:manage-action-on", args=[voucher.pk, "pay", split.pk])
    assert recorder.post(url, data).status_code == 302
    assert recorder.post(url, data).status_code == 302  # the double click
    assert Payment.objects.count() == 1
    assert Payment.objects.get().idempotency_key == key
    over = {**data, f"pay{split.pk}-idempotency_key": "other", f"pay{split.pk}-amount": "1.00"}
    response = recorder.post(url, over)
    assert response.status_code == 400
    assert "€1.00 is more than the €0.00 still approved" in response.content.decode()


def test_unknown_action_and_foreign_target_404(staff_client, staff):
    voucher = active_voucher(selected_application(), staff)
    other = active_voucher(selected_application(), staff)
    foreign = other.instalments.get(sequence=1)
    assert (
        staff_client.post(reverse("vouchers:manage-action", args=[voucher.pk, "nope"])).status_code
        == 404
    )
    url = reverse("vouchers:manage-action-on", args=[voucher.pk, "request", foreign.pk])
    assert staff_client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == "due"


def test_terminate_needs_reason_and_confirmation(staff_client, staff):
    voucher = active_voucher(selected_application(), staff)
    url = reverse("vouchers:manage-action", args=[voucher.pk, "terminate"])
    assert staff_client.post(url, {"confirm": "on"}).status_code == 400
    assert staff_client.post(url, {"reason": "Fraud"}).status_code == 400
    assert staff_client.post(url, {"reason": "Fraud", "confirm": "on"}).status_code == 302
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.TERMINATED


@pytest.mark.parametrize("count", [1, 3])
def test_payment_list_query_count(staff, staff2, staff3, client, django_assert_num_queries, count):
    call = CallFactory(state="decided")
    for _ in range(count):
        voucher = active_voucher(selected_application(call), staff)
        pay_all(approved_instalment(voucher, staff, staff2), staff3)
    staff_client = signed_in(client, staff)
    url = reverse("vouchers:manage-payments")
    staff_client.get(url)
    # 7 until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
    with django_assert_num_queries(4):
        response = staff_client.get(url, {"organisation": ""})
    assert response.context["page_obj"].paginator.count == 2 * count


def test_payment_filters(staff, staff2, staff3, staff_client):
    voucher = active_voucher(selected_application(), staff)
    pay_all(approved_instalment(voucher, staff, staff2), staff3)
    split = InstalmentShare.objects.order_by("pk").first()
    name = split.share.organisation.legal_name
    response = staff_client.get(reverse("vouchers:manage-payments"), {"organisation": name})
    assert [p.beneficiary.organisation.legal_name for p in response.context["page_obj"]] == [name]
    response = staff_client.get(reverse("vouchers:manage-payments"), {"date_from": "2026-11-24"})
    assert list(response.context["page_obj"]) == []


def test_exports_add_up_and_are_injection_safe(staff, staff2, staff3, staff_client):
    call = CallFactory(state="decided")
    voucher = active_voucher(selected_application(call), staff)
    instalment = approved_instalment(voucher, staff, staff2)
    split = InstalmentShare.objects.filter(instalment=instalment).order_by("pk").first()
    services.record_payment(
        split=split,
        actor=staff3,
        idempotency_key="x1",
        value_date=date(2026, 11, 23),
        bank_reference='=HYPERLINK("http://evil")',
    )
    csv_text = b"".join(
        staff_client.get(
            reverse("vouchers:manage-export", args=["payments", "csv"]), {"call": call.slug}
        ).streaming_content
    ).decode()
    lines = csv_text.strip().splitlines()
    assert len(lines) == 2
    assert "'=HYPERLINK" in lines[1]
    response = staff_client.get(
        reverse("vouchers:manage-export", args=["payments", "xlsx"]), {"call": call.slug}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][4] == 15000
    assert rows[1][6] == '=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=7).data_type == "s"
    vouchers_sheet = load_workbook(
        io.BytesIO(
            staff_client.get(
                reverse("vouchers:manage-export", args=["instalments", "xlsx"]),
                {"call": call.slug},
            ).content
        )
    ).active
    amounts = [row[6] for row in vouchers_sheet.iter_rows(min_row=2, values_only=True)]
    assert sum(amounts) == 50000
    assert (
        staff_client.get(reverse("vouchers:manage-export", args=["nope", "csv"])).status_code == 404
    )


def test_support_services_page(staff_client, staff):
    voucher = active_voucher(selected_application(), staff)
    share = voucher.shares.order_by("pk").first()
    url = reverse("vouchers:manage-services", args=[voucher.call.slug])
    response = staff_client.post(
        url,
        {
            "share": share.pk,
            "type": "training",
            "provider": "Cluster",
            "date": "2026-10-01",
            "hours": "8",
            "value": "-5",
        },
    )
    assert response.status_code == 400
    response = staff_client.post(
        url,
        {
            "share": share.pk,
            "type": "training",
            "provider": "Cluster",
            "date": "2026-10-01",
            "hours": "8",
            "value": "1200.00",
        },
    )
    assert response.status_code == 302
    page = staff_client.get(url)
    assert [(r["organisation__legal_name"], r["count"]) for r in page.context["per_sme"]] == [
        (share.organisation.legal_name, 1)
    ]
    assert page.context["total"] == D("1200.00")


@pytest.mark.parametrize("count", [1, 3])
def test_home_lists_calls_with_true_totals(staff_client, staff, django_assert_num_queries, count):
    for _ in range(count):
        call = CallFactory(state="decided")
        services.draft_voucher(application=selected_application(call).application, actor=staff)
        selected_application(call)  # a second selected application, no voucher yet
    CallFactory()  # nothing selected: not listed
    url = reverse("vouchers:manage-home")
    staff_client.get(url)
    # 6 until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
    with django_assert_num_queries(3):
        response = staff_client.get(url)
    rows = [
        (c.voucher_count, c.selected_count, c.live_amount) for c in response.context["page_obj"]
    ]
    assert rows == [(1, 2, D("50000.00"))] * count
