import pytest
from django.urls import reverse

from accounts import roles
from tests.auth import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_superuser_sees_organisations_in_admin(client):
    sign_in(client, UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("admin:accounts_organisation_changelist")).status_code == 200


def test_admin_site_staff_flag_without_superuser_is_refused(client):
    sign_in(client, UserFactory(is_staff=True, roles=[roles.STAFF]))
    response = client.get(reverse("admin:accounts_organisation_changelist"))
    assert response.status_code == 403
