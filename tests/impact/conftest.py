import pytest
from allauth.mfa.models import Authenticator

from tests.auth import sign_in
from tests.vouchers.factories import staff_user


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes files to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(db):
    return staff_user(full_name="Stella Staff")


@pytest.fixture
def staff2(db):
    return staff_user(full_name="Otto Second")


@pytest.fixture
def staff3(db):
    return staff_user(full_name="Rita Recorder")


def signed_in(client, user):
    """A client signed in as `user`; staff get an MFA authenticator and pass it (the /manage/ area
    needs it)."""
    staff = user.groups.filter(name="consortium-staff").exists()
    if staff:
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
        )
    sign_in(client, user, mfa=staff)
    client.user = user
    return client


@pytest.fixture
def staff_client(client, staff):
    return signed_in(client, staff)
