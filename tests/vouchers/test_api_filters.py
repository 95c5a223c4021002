"""The staff vouchers API reads its query string through django-filter FilterSets: the filters
work, and a bad value answers 400 with a message naming the parameter."""

import pytest
from rest_framework.test import APIClient

from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import active_voucher, selected_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def voucher(staff):
    return active_voucher(selected_application(), staff)


@pytest.fixture
def api(staff):
    return signed_in(APIClient(), staff)


def numbers(api, path: str, **params) -> list:
    response = api.get(path, params)
    assert response.status_code == 200, response.json()
    return [
        (row.get("agreement_number") or row["voucher"], row.get("sequence"))
        for row in response.json()["results"]
    ]


def test_filters_by_call_and_state(api, voucher):
    number, slug = voucher.agreement_number, voucher.call.slug

    assert numbers(api, "/api/v1/manage/vouchers/", call=slug, state="active") == [(number, None)]
    assert numbers(api, "/api/v1/manage/vouchers/", state="drafted") == []
    assert numbers(api, "/api/v1/manage/vouchers/", call="another-call") == []
    assert numbers(api, "/api/v1/manage/instalments/", call=slug, state="due") == [(number, 1)]
    assert numbers(api, "/api/v1/manage/instalments/", state="paid") == []
    assert numbers(api, "/api/v1/manage/payments/", call=slug) == []


@pytest.mark.parametrize(
    "path",
    ["/api/v1/manage/vouchers/", "/api/v1/manage/instalments/"],
    ids=["vouchers", "instalments"],
)
def test_an_unknown_state_answers_400_with_a_message(api, voucher, path):
    response = api.get(path, {"state": "bogus"})

    assert (response.status_code, response.json()) == (400, {"state": ["Unknown state."]})
