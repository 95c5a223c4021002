import pytest
from django.test import RequestFactory

from minegap.core.mfa import session_passed_mfa
from tests.auth import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _request_of(client, user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = client.session
    return request


def test_a_session_that_passed_totp_counts(client):
    user = UserFactory()
    sign_in(client, user)
    assert session_passed_mfa(_request_of(client, user)) is True


def test_a_password_only_session_does_not_count(client):
    user = UserFactory()
    sign_in(client, user, mfa=False)
    assert session_passed_mfa(_request_of(client, user)) is False


def test_records_of_another_user_do_not_count(client):
    owner, other = UserFactory(), UserFactory()
    sign_in(client, owner)
    assert session_passed_mfa(_request_of(client, other)) is False
