from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator

from calls import selectors
from tests.auth import sign_in
from tests.factories import UserFactory


@pytest.fixture
def real_sme_lookup():
    """Request it to read SME declarations from the database instead of the stand-in below."""


@pytest.fixture(autouse=True)
def sme_declared(monkeypatch, request):
    """Every organisation counts as a declared small enterprise unless the test requests
    `real_sme_lookup` (the declaration model belongs to accounts; the lookup is tested alone)."""
    if "real_sme_lookup" in request.fixturenames:
        return
    monkeypatch.setattr(
        selectors, "latest_sme_declaration", lambda organisation: SimpleNamespace(category="small")
    )


@pytest.fixture
def staff_client(client):
    """A client signed in as consortium staff with MFA turned on (the /manage/ area needs it)."""
    user = UserFactory(roles=["consortium-staff"])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    sign_in(client, user)
    client.user = user
    return client
