from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts import roles
from calls import selectors
from tests.auth import sign_in
from tests.factories import UserFactory


@pytest.fixture
def real_sme_lookup():
    """Request it to read SME declarations from the database instead of the stand-in below."""


@pytest.fixture(autouse=True)
def sme_declared(monkeypatch, request):
    """Every organisation counts as a declared small enterprise (the accounts model is tested
    there); a test wanting another answer patches `calls.selectors.latest_sme_declaration`."""
    if "real_sme_lookup" in request.fixturenames:
        return
    monkeypatch.setattr(
        selectors, "latest_sme_declaration", lambda organisation: SimpleNamespace(category="small")
    )


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
