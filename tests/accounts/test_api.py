import pytest
from django.urls import reverse

from accounts import roles
from accounts.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_me_lists_roles_and_organisations(client):
    membership = MembershipFactory(user=UserFactory(roles=[roles.EVALUATOR]))
    client.force_login(membership.user)
    data = client.get(reverse("api-me")).json()
    assert data["email"] == membership.user.email
    assert data["roles"] == ["evaluators"]
    assert [m["role"] for m in data["memberships"]] == ["admin"]
    assert data["memberships"][0]["organisation"]["sme_status"]["category"] == "micro"


def test_me_requires_login(client):
    assert client.get(reverse("api-me")).status_code == 403


def test_organisations_lists_only_mine(client):
    mine = MembershipFactory(organisation__sme_declaration=False)
    OrganisationFactory()
    client.force_login(mine.user)
    data = client.get(reverse("api-organisations")).json()
    assert [row["id"] for row in data["results"]] == [mine.organisation.pk]
    assert data["results"][0]["sme_status"] is None


def test_create_organisation_via_api(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("api-organisations"),
        {"legal_name": "API Oy", "country": "FI", "vat_number": "fi 1234 5678"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["vat_number"] == "FI12345678"
    assert Organisation.objects.get().memberships.get().user == user


def test_create_organisation_bad_vat_is_400_with_field(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("api-organisations"),
        {"legal_name": "API Oy", "country": "FI", "vat_number": "123"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "vat_number": ["123 is not a valid VAT number for Finland (expected e.g. FI12345678)."]
    }


@pytest.mark.parametrize("count", [1, 3])
def test_organisations_api_query_count(client, django_assert_num_queries, count):
    user = UserFactory()
    for _ in range(count):
        MembershipFactory(user=user)  # with its current declaration
    client.force_login(user)
    # 8 until issue #15 read the session from the cache.
    with django_assert_num_queries(7):
        data = client.get(reverse("api-organisations")).json()
    assert data["count"] == count
