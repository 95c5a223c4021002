"""seed_demo refuses production settings; a demo server that insists gets random passwords and
TOTP secrets, printed once, instead of the published ones."""

import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import CommandError, call_command

from accounts import demo as accounts_demo
from accounts.demo_data import DEMO_PASSWORD
from accounts.models import User
from vouchers.models import BeneficiaryShare

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^\s+.+?\s+(\S+@\S+)\s+(\S+)(?:\s+TOTP secret (\S+))?$")


def printed(output: str) -> dict[str, tuple[str, str | None]]:
    """(password, TOTP secret) printed for each e-mail."""
    found = {}
    for line in output.splitlines():
        match = LINE.match(line)
        if match:
            found[match.group(1)] = (match.group(2), match.group(3))
    return found


def totp_secret(email: str) -> str:
    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def test_seed_demo_refuses_production_settings(settings):
    settings.IS_PRODUCTION = True

    with pytest.raises(CommandError, match="refuses to run under production settings"):
        call_command("seed_demo", stdout=StringIO())

    assert User.objects.count() == 0


def test_on_a_demo_server_every_demo_person_gets_a_random_password_printed_once(settings):
    settings.IS_PRODUCTION = True
    out = StringIO()

    call_command("seed_demo", "--i-know-this-is-not-production", stdout=out)

    credentials = printed(out.getvalue())
    staff_password, staff_secret = credentials["staff@minegap.eu"]
    staff = User.objects.get(email="staff@minegap.eu")
    assert [u.email for u in User.objects.all() if u.check_password(DEMO_PASSWORD)] == []
    assert staff.check_password(staff_password) is True
    assert staff_password != DEMO_PASSWORD
    assert staff_secret == totp_secret("staff@minegap.eu")
    assert staff_secret != accounts_demo.demo_totp_secret("staff@minegap.eu")
    assert credentials["committee@minegap.eu"][1] == totp_secret("committee@minegap.eu")
    # Every person has a printed password; the demo still signs agreements with them.
    assert set(User.objects.values_list("email", flat=True)) <= set(credentials)
    assert BeneficiaryShare.objects.filter(signed_at__isnull=False).exists()
    # Afterwards the process is back to the published credentials.
    assert accounts_demo.credentials.known_password("staff@minegap.eu") == DEMO_PASSWORD


def test_insisting_on_a_server_seeded_with_the_published_credentials_replaces_them(settings):
    accounts_demo.seed(StringIO())
    published = accounts_demo.demo_totp_secret("evaluator@minegap.eu")
    assert totp_secret("evaluator@minegap.eu") == published
    settings.IS_PRODUCTION = True
    out = StringIO()

    call_command("seed_demo", "--i-know-this-is-not-production", stdout=out)
    again = StringIO()
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=again)

    evaluator = User.objects.get(email="evaluator@minegap.eu")
    password, secret = printed(out.getvalue())["evaluator@minegap.eu"]
    assert evaluator.check_password(DEMO_PASSWORD) is False
    assert evaluator.check_password(password) is True
    assert secret == totp_secret("evaluator@minegap.eu") != published
    # Printed once: the second run has nothing new to tell.
    assert printed(again.getvalue())["evaluator@minegap.eu"] == ("(unchanged)", "(unchanged)")
