import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts import roles
from tests.auth import sign_in
from tests.factories import UserFactory


def with_mfa(user):
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def staff(db):
    return with_mfa(UserFactory(roles=[roles.STAFF], full_name="Stella Staff"))


@pytest.fixture
def committee(db):
    return with_mfa(UserFactory(roles=[roles.COMMITTEE]))


@pytest.fixture
def staff_client(client, staff):
    sign_in(client, staff)
    return client
