"""Demo organisations and people (idempotent): `python manage.py seed_demo` calls `seed`.

Every demo person signs in with DEMO_PASSWORD and a verified e-mail. Privileged people (staff,
evaluators, committee) also have a TOTP authenticator with a fixed, printed secret and recovery
codes; `python manage.py demo_totp EMAIL` prints their current code.
"""

import base64
import hashlib
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import services
from accounts.demo_data import (
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    organisation_admin_email,
)
from accounts.models import Organisation, User
from accounts.validators import normalise_vat

# (staff AWU, turnover, balance sheet): a micro, a small and a medium-sized enterprise.
DEMO_FIGURES = (
    (Decimal("7.5"), Decimal("850000.00"), Decimal("620000.00")),
    (Decimal("34"), Decimal("6400000.00"), Decimal("4100000.00")),
    (Decimal("140"), Decimal("38500000.00"), Decimal("29000000.00")),
)


def demo_totp_secret(email: str) -> str:
    """A fixed base32 secret per demo person, so the printed secret works on every machine."""
    digest = hashlib.sha256(f"minegap-demo-totp:{email.lower()}".encode()).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def is_demo_email(email: str) -> bool:
    email = email.lower()
    people = {person[0] for person in DEMO_PEOPLE}
    return email in people or email.endswith("@demo.minegap.eu")


def ensure_person(email: str, full_name: str, groups: list[str] = ()) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user


def ensure_mfa(user: User) -> str:
    secret = demo_totp_secret(user.email)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def seed(stdout) -> None:
    admins = {vat: (email, name) for email, name, _roles, vat in DEMO_PEOPLE if vat}
    created = 0
    for index, row in enumerate(DEMO_ORGANISATIONS):
        legal_name, short, country, nuts, vat, _role, _sector, founded, description = row
        email, name = admins.get(vat, (organisation_admin_email(short), f"{short} Administrator"))
        admin = ensure_person(email, name)
        number = normalise_vat(country=country, vat_number=vat)
        organisation = Organisation.objects.filter(country=country, vat_number=number).first()
        if organisation is None:
            organisation = services.organisation_create(
                user=admin,
                data={
                    "legal_name": legal_name,
                    "short_name": short,
                    "country": country,
                    "nuts_region": nuts,
                    "vat_number": vat,
                    "type": Organisation.Type.SME,
                    "founding_year": founded,
                    "description": description,
                },
            )
            created += 1
        if not organisation.sme_declarations.exists():
            staff, turnover, balance = DEMO_FIGURES[index % len(DEMO_FIGURES)]
            services.sme_declaration_sign(
                organisation=organisation,
                user=organisation.memberships.filter(role="admin").first().user,
                data={
                    "reference_year": timezone.now().year - 1,
                    "staff_headcount": staff,
                    "annual_turnover": turnover,
                    "balance_sheet_total": balance,
                    "enterprise_category": "autonomous",
                    "public_body_holding": 0,
                },
            )
    stdout.write(f"accounts: {len(DEMO_ORGANISATIONS)} demo organisations ({created} new).")
    stdout.write(f"Demo password for every demo person: {DEMO_PASSWORD}")
    for email, name, groups, _vat in DEMO_PEOPLE:
        user = ensure_person(email, name, groups)
        role = ", ".join(groups) or "applicant (organisation admin)"
        if groups:
            secret = ensure_mfa(user)
            stdout.write(f"  {role:<32} {email:<26} {DEMO_PASSWORD}  TOTP secret {secret}")
        else:
            stdout.write(f"  {role:<32} {email:<26} {DEMO_PASSWORD}")
    stdout.write("  Current TOTP code: python manage.py demo_totp EMAIL")
