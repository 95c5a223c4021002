"""Demo organisations and people (idempotent): `python manage.py seed_demo` calls `seed`.

Every demo person signs in with DEMO_PASSWORD and a verified e-mail. Privileged people (staff,
evaluators, committee) also have a TOTP authenticator with a fixed, printed secret and recovery
codes; `python manage.py demo_totp EMAIL` prints their current code. Seeding a server
(`credentials.randomised()`) gives everyone a random password and TOTP secret instead, printed
once: the published ones must never guard a reachable staff account.
"""

import base64
import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
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


class DemoCredentials:
    """The demo people's passwords and TOTP secrets: the published ones by default, random ones
    (known to this run only) within `randomised()`."""

    def __init__(self) -> None:
        self.random = False
        self._passwords: dict[str, str] = {}

    @contextmanager
    def randomised(self) -> Iterator[None]:
        """Random credentials while the block runs (one seeding), published ones after."""
        self.random, self._passwords = True, {}
        try:
            yield
        finally:
            self.random, self._passwords = False, {}

    def new_password(self, email: str) -> str:
        if not self.random:
            return DEMO_PASSWORD
        password = secrets.token_urlsafe(18)
        self._passwords[email.lower()] = password
        return password

    def known_password(self, email: str) -> str | None:
        """The password `email` signs in with, when this run knows it."""
        return self._passwords.get(email.lower()) if self.random else DEMO_PASSWORD

    def new_totp_secret(self, email: str) -> str:
        if not self.random:
            return demo_totp_secret(email)
        return base64.b32encode(secrets.token_bytes(20)).decode("ascii")

    def generated(self) -> dict[str, str]:
        """The random passwords set by this run, by e-mail."""
        return dict(self._passwords)


credentials = DemoCredentials()


def is_demo_email(email: str) -> bool:
    email = email.lower()
    people = {person[0] for person in DEMO_PEOPLE}
    return email in people or email.endswith("@demo.minegap.eu")


def ensure_person(email: str, full_name: str, groups: list[str] = ()) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        password = credentials.new_password(email)
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
    elif credentials.random and user.check_password(DEMO_PASSWORD):
        user.set_password(credentials.new_password(email))
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user


def ensure_mfa(user: User) -> str | None:
    """Give `user` TOTP and recovery codes; the TOTP secret when this run knows it."""
    published = demo_totp_secret(user.email)
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    secret = None
    if (
        existing is not None
        and credentials.random
        and decrypt(existing.data["secret"]) == published
    ):
        existing.delete()  # the published secret must not guard an account on a server
        existing = None
    if existing is None:
        secret = credentials.new_totp_secret(user.email)
        TOTP.activate(user, secret)
    elif not credentials.random:
        secret = published
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
    if credentials.random:
        stdout.write("Random passwords and TOTP secrets, printed this once (store them now):")
    else:
        stdout.write(f"Demo password for every demo person: {DEMO_PASSWORD}")
    unchanged = "(unchanged)"
    for email, name, groups, _vat in DEMO_PEOPLE:
        user = ensure_person(email, name, groups)
        role = ", ".join(groups) or "applicant (organisation admin)"
        password = credentials.known_password(email) or unchanged
        if groups:
            secret = ensure_mfa(user) or unchanged
            stdout.write(f"  {role:<32} {email:<26} {password}  TOTP secret {secret}")
        else:
            stdout.write(f"  {role:<32} {email:<26} {password}")
    people = {person[0] for person in DEMO_PEOPLE}
    for email, password in credentials.generated().items():
        if email not in people:
            stdout.write(f"  {'applicant (organisation admin)':<32} {email:<26} {password}")
    stdout.write("  Current TOTP code: python manage.py demo_totp EMAIL")
