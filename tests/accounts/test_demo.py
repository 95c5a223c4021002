import io

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.core.management import CommandError, call_command

from accounts import demo
from accounts.demo_data import DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_PEOPLE
from accounts.models import Membership, Organisation, SMEDeclaration, User
from minegap.ledger.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_complete():
    out = io.StringIO()
    demo.seed(out)
    counts = (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        SMEDeclaration.objects.count(),
        Authenticator.objects.count(),
        AuditEntry.objects.count(),
    )
    assert counts[0] == len(DEMO_ORGANISATIONS)
    assert counts[3] == len(DEMO_ORGANISATIONS)
    privileged = [p for p in DEMO_PEOPLE if p[2]]
    assert counts[4] == 2 * len(privileged)  # TOTP + recovery codes
    demo.seed(io.StringIO())
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        SMEDeclaration.objects.count(),
        Authenticator.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == counts[1]
    sme = User.objects.get(email="sme.admin@minegap.eu")
    assert sme.check_password(DEMO_PASSWORD) is True
    assert sme.memberships.get().organisation.vat_number == "FI28765432"
    greek = Organisation.objects.get(country="GR")
    assert greek.vat_number == "EL094123456"
    secret = demo.demo_totp_secret("staff@minegap.eu")
    assert f"TOTP secret {secret}" in out.getvalue()
    assert set(SMEDeclaration.objects.values_list("category", flat=True)) == {
        "micro",
        "small",
        "medium",
    }


def test_demo_totp_prints_a_valid_code():
    demo.seed(io.StringIO())
    out = io.StringIO()
    call_command("demo_totp", "evaluator@minegap.eu", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6
    assert validate_totp_code(demo.demo_totp_secret("evaluator@minegap.eu"), code) is True


def test_demo_totp_refuses_other_accounts():
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_totp", "someone@example.eu")
