"""The staff applications API reads its query string through a django-filter FilterSet: the
filters work, and a bad value answers 400 with a message naming the parameter."""

import pytest
from allauth.mfa.models import Authenticator
from rest_framework.test import APIClient

from tests.auth import sign_in
from tests.calls.factories import CallFactory, complete_application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    staff = UserFactory(roles=["consortium-staff"])
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return sign_in(APIClient(), staff)


@pytest.fixture
def call_with_two():
    call = CallFactory(code="G")
    finnish, _ = complete_application(call, lead_country="FI")
    spanish, _ = complete_application(call, lead_country="ES")
    return call, finnish, spanish


def ids(api, call, **params) -> list[int]:
    response = api.get(f"/api/v1/manage/calls/{call.slug}/applications/", params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_filters_select_and_sort(api, call_with_two):
    call, finnish, spanish = call_with_two
    demonstration = call.voucher_types.get(name="Demonstration").pk
    proof = call.voucher_types.get(name="Proof of concept").pk

    assert ids(api, call) == [finnish.pk, spanish.pk]
    assert ids(api, call, sort="-reference") == [spanish.pk, finnish.pk]
    assert ids(api, call, country="es") == [spanish.pk]
    assert ids(api, call, country="ES", state="draft") == [spanish.pk]
    assert ids(api, call, state="submitted") == []
    assert ids(api, call, q=spanish.lead_organisation.legal_name) == [spanish.pk]
    assert ids(api, call, voucher_type=demonstration) == [finnish.pk, spanish.pk]
    assert ids(api, call, voucher_type=proof) == []


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"state": "nonsense"}, {"state": ["Unknown state."]}),
        ({"voucher_type": "x"}, {"voucher_type": ["voucher_type must be a number."]}),
        ({"voucher_type": "²"}, {"voucher_type": ["voucher_type must be a number."]}),
        ({"voucher_type": "-1"}, {"voucher_type": ["voucher_type must be a number."]}),
        ({"country": "XX"}, {"country": ["Unknown country code."]}),
        ({"sort": "cost"}, {"sort": ["Unknown sort order “cost”."]}),
        (
            {"q": "x" * 101},
            {"q": ["Ensure this value has at most 100 characters (it has 101)."]},
        ),
    ],
)
def test_a_bad_filter_answers_400_naming_the_parameter(api, call_with_two, params, errors):
    call = call_with_two[0]

    response = api.get(f"/api/v1/manage/calls/{call.slug}/applications/", params)

    assert (response.status_code, response.json()) == (400, errors)
