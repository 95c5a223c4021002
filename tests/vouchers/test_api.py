"""Vouchers API: staff lists and details (MFA), recording a payment with an Idempotency-Key,
beneficiaries' own vouchers only, and the OpenAPI schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import (
    active_voucher,
    approved_instalment,
    pay_all,
    selected_application,
    staff_user,
)
from vouchers import services
from vouchers.models import InstalmentShare, Payment

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    return signed_in(APIClient(), user)


def test_staff_lists_need_staff_with_mfa(staff):
    active_voucher(selected_application(), staff)
    assert api_as(UserFactory()).get("/api/v1/manage/vouchers/").status_code == 403
    no_mfa = APIClient()
    no_mfa.force_login(staff_user())
    assert no_mfa.get("/api/v1/manage/vouchers/").status_code == 403
    response = api_as(staff).get("/api/v1/manage/vouchers/")
    assert response.status_code == 200
    assert [v["amount"] for v in response.json()["results"]] == ["50000.00"]


def test_voucher_detail_and_instalments(staff):
    voucher = active_voucher(selected_application(), staff)
    client = api_as(staff)
    detail = client.get(f"/api/v1/manage/vouchers/{voucher.pk}/").json()
    assert [i["amount"] for i in detail["instalments"]] == ["25000.00", "25000.00"]
    assert [s["amount"] for s in detail["shares"]] == ["30000.00", "20000.00"]
    due = client.get("/api/v1/manage/instalments/", {"state": "due"}).json()
    assert [(i["voucher"], i["sequence"]) for i in due["results"]] == [
        (voucher.agreement_number, 1)
    ]
    assert client.get("/api/v1/manage/instalments/", {"state": "bogus"}).status_code == 400


def test_record_payment_with_idempotency_key(staff, staff2, staff3):
    voucher = active_voucher(selected_application(), staff)
    instalment = approved_instalment(voucher, staff, staff2)
    split = InstalmentShare.objects.filter(instalment=instalment).order_by("pk").first()
    client = api_as(staff3)
    body = {"split": split.pk, "value_date": "2026-11-23", "bank_reference": "TRF-API-1"}
    assert client.post("/api/v1/manage/payments/", body, format="json").status_code == 400
    first = client.post(
        "/api/v1/manage/payments/", body, format="json", HTTP_IDEMPOTENCY_KEY="api-key-1"
    )
    assert first.status_code == 201
    assert first.json()["amount"] == "15000.00"
    again = client.post(
        "/api/v1/manage/payments/", body, format="json", HTTP_IDEMPOTENCY_KEY="api-key-1"
    )
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Payment.objects.count() == 1
    twice = client.post(
        "/api/v1/manage/payments/", body, format="json", HTTP_IDEMPOTENCY_KEY="api-key-2"
    )
    assert twice.status_code == 400
    assert twice.json() == {"detail": "This beneficiary's part is already paid."}
    # Four-eyes: the approver cannot record.
    other = InstalmentShare.objects.filter(instalment=instalment).order_by("pk").last()
    response = api_as(staff2).post(
        "/api/v1/manage/payments/",
        {**body, "split": other.pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="api-key-3",
    )
    assert response.status_code == 400
    listing = client.get("/api/v1/manage/payments/").json()
    assert [p["bank_reference"] for p in listing["results"]] == ["TRF-API-1"]


def test_beneficiaries_see_only_their_vouchers(staff):
    mine = selected_application()
    theirs = selected_application()
    my_voucher = services.draft_voucher(application=mine.application, actor=staff)
    their_voucher = services.draft_voucher(application=theirs.application, actor=staff)
    client = api_as(mine.admins[1])
    assert [v["id"] for v in client.get("/api/v1/vouchers/").json()["results"]] == [my_voucher.pk]
    assert client.get(f"/api/v1/vouchers/{their_voucher.pk}/").status_code == 404
    assert client.get(f"/api/v1/vouchers/{my_voucher.pk}/").json()["agreement_number"] == (
        my_voucher.agreement_number
    )
    assert client.get("/api/v1/manage/vouchers/").status_code == 403


def test_in_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/manage/vouchers/",
        "/api/v1/manage/instalments/",
        "/api/v1/manage/payments/",
        "/api/v1/vouchers/",
    ):
        assert f"{path}:" in schema
    assert "Idempotency-Key" in schema


@pytest.mark.parametrize("count", [1, 3])
def test_staff_list_query_counts(staff, staff2, staff3, count):
    for _ in range(count):
        voucher = active_voucher(selected_application(), staff)
        pay_all(approved_instalment(voucher, staff, staff2), staff3)
    client = api_as(staff)
    client.get("/api/v1/manage/payments/")
    counts, rows = {}, {}
    for url in ("manage/payments", "manage/vouchers", "manage/instalments"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/{url}/")
        counts[url] = len(queries)
        rows[url] = response.json()["count"]
    assert rows == {
        "manage/payments": 2 * count,
        "manage/vouchers": count,
        "manage/instalments": 2 * count,
    }
    # The same number of queries whatever the number of rows. Two fewer each since issue #15
    # read the session from the cache and the person with their roles in one query.
    assert counts == {"manage/payments": 3, "manage/vouchers": 3, "manage/instalments": 6}
