import pytest
from allauth.mfa.models import Authenticator

from tests.auth import sign_in
from tests.factories import UserFactory


@pytest.fixture
def staff_client(client):
    """A client signed in as consortium staff with MFA turned on (the /manage/ area needs it)."""
    user = UserFactory(roles=["consortium-staff"])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    sign_in(client, user)
    client.user = user
    return client
