"""What the benchmarks build one at a time, without `tests/` (the bench must run where the test
suite is not installed): people, organisations with their SME declaration, calls configured like
MINE.THE.GAP's, evaluators, and an application ready to submit built through the calls services,
as an applicant would. Signed-in sessions as allauth leaves them after a password and a TOTP
step. Deterministic: names and numbers come from counters, not from a random faker."""

from __future__ import annotations

import itertools
import time
from datetime import timedelta
from decimal import Decimal

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts import roles
from accounts.models import Membership, Organisation, SMEDeclaration, User
from accounts.sme import SMECategory
from calls import services
from calls.models import (
    AttachmentRequirement,
    Call,
    CallState,
    Criterion,
    MemberRole,
    Question,
    VoucherType,
)
from evaluation.models import EvaluatorProfile

MTG_COUNTRIES = ["BG", "FI", "FR", "DE", "GR", "PL", "PT", "ES", "SE"]
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# allauth keeps the owner of the authentication records beside them (its login flow's key).
_RECORDS_USER_KEY = "account_authentication_methods_user"
_numbers = itertools.count(1)
# Nobody signs in with a password on the bench's data: sessions are made directly.
_UNUSABLE = make_password(None)


def user(*, email: str | None = None, roles: tuple[str, ...] = (), full_name: str = "") -> User:
    n = next(_numbers)
    person = User.objects.create(
        email=email or f"bench-person-{n}@example.eu",
        full_name=full_name or f"Bench Person {n}",
        password=_UNUSABLE,
    )
    for name in roles:
        person.groups.add(Group.objects.get_or_create(name=name)[0])
    return person


def with_mfa(person: User) -> User:
    """An authenticator app enrolled (privileged roles need one)."""
    TOTP.activate(person, generate_totp_secret())
    return person


def organisation(*, country: str = "FI", nuts_region: str = "FI1D7") -> Organisation:
    """A registered SME that signed its SME self-declaration (a micro enterprise)."""
    n = next(_numbers)
    created = Organisation.objects.create(
        legal_name=f"Bench Ore Sensing {n} Oy",
        short_name=f"BOS{n}",
        country=country,
        nuts_region=nuts_region,
        vat_number=f"{country}{20000000 + n}",
        type=Organisation.Type.SME,
        founding_year=2015,
    )
    SMEDeclaration.objects.create(
        organisation=created,
        version=1,
        reference_year=timezone.now().year - 1,
        staff_headcount=Decimal("8"),
        annual_turnover=Decimal("1200000.00"),
        balance_sheet_total=Decimal("900000.00"),
        enterprise_category=SMEDeclaration.EnterpriseCategory.AUTONOMOUS,
        category=SMECategory.MICRO,
        signed_by=user(),
    )
    return created


def admin_of(organisation_: Organisation) -> User:
    person = user()
    Membership.objects.create(user=person, organisation=organisation_, role="admin")
    return person


def call(*, slug: str, code: str, **fields) -> Call:
    """A call configured like MINE.THE.GAP's: two voucher types, three weighted criteria, two
    questions, one required work plan; open for another month unless `fields` say otherwise."""
    now = timezone.now()
    values = {
        "title": f"Benchmark call {code}",
        "summary": "Innovation vouchers for SME consortia in mining and raw materials.",
        "body": "Full text of the call: who can apply, what is funded, how it is evaluated.",
        "total_budget": Decimal("1500000.00"),
        "cap_per_project": Decimal("150000.00"),
        "cap_per_third_party": Decimal("60000.00"),
        "eligible_countries": list(MTG_COUNTRIES),
        "opens_at": now - timedelta(days=30),
        "closes_at": now + timedelta(days=30),
        "state": CallState.PUBLISHED,
        **fields,
    }
    created = Call.objects.create(slug=slug, code=code, **values)
    VoucherType.objects.create(
        call=created, name="Proof of concept", cap_per_sme=Decimal("25000.00"), order=1
    )
    VoucherType.objects.create(
        call=created, name="Demonstration", cap_per_sme=Decimal("50000.00"), order=2
    )
    criteria = [
        Criterion.objects.create(call=created, name=name, order=i, weight=weight)
        for i, (name, weight) in enumerate(
            [("Excellence", 1), ("Impact", Decimal("1.5")), ("Implementation", 1)]
        )
    ]
    for order, (label, criterion) in enumerate(
        [
            ("What problem does the project solve?", criteria[0]),
            ("What is the expected impact?", criteria[1]),
        ],
        start=1,
    ):
        Question.objects.create(
            call=created, label=label, char_limit=500, criterion=criterion, order=order
        )
    AttachmentRequirement.objects.create(
        call=created, label="Work plan", allowed_types=["pdf", "docx"], max_size_mb=1, order=1
    )
    return created


def closed_call(*, slug: str, code: str, **fields) -> Call:
    now = timezone.now()
    fields.setdefault("opens_at", now - timedelta(days=60))
    fields.setdefault("closes_at", now - timedelta(days=1))
    fields.setdefault("state", CallState.CLOSED)
    fields.setdefault("thematic_areas", ["Ore sorting", "Mine safety"])
    return call(slug=slug, code=code, **fields)


def evaluator(*, country: str = "SE", max_proposals: int = 10) -> User:
    """An evaluator (role, authenticator app) who accepted the confidentiality declaration."""
    person = with_mfa(user(roles=(roles.EVALUATOR,)))
    EvaluatorProfile.objects.create(
        user=person,
        country=country,
        max_proposals=max_proposals,
        declaration_accepted_at=timezone.now(),
    )
    return person


def complete_application(open_call: Call, *, lead_country: str = "FI"):
    """An application with everything a submission needs, built through the calls services as
    its lead's administrator and its partner's would; returns (application, lead_admin)."""
    lead = organisation(country=lead_country)
    lead_admin = admin_of(lead)
    application = services.create_application(call=open_call, organisation=lead, actor=lead_admin)
    services.update_overview(
        application=application,
        actor=lead_admin,
        title="Sensor-driven ore sorting",
        acronym="SENSORT",
        summary="Real-time ore sorting with wireless sensors at a Lapland mine.",
        voucher_type=open_call.voucher_types.get(name="Demonstration"),
    )
    lead_member = application.members.get(is_lead=True)
    services.update_member_budget(
        member=lead_member,
        actor=lead_admin,
        role=MemberRole.ADOPTER,
        requested_amount=Decimal("30000.00"),
    )
    services.sign_declaration(member=lead_member, actor=lead_admin)
    partner = organisation(country="PT", nuts_region="PT16")
    partner_admin = admin_of(partner)
    member = services.invite_partner(
        application=application, organisation=partner, invited_by=lead_admin
    )
    services.confirm_participation(
        member=member,
        actor=partner_admin,
        role=MemberRole.PROVIDER,
        requested_amount=Decimal("20000.00"),
    )
    services.sign_declaration(member=member, actor=partner_admin)
    for question in open_call.questions.all():
        services.save_answer(
            application=application, question=question, text="A clear answer.", actor=lead_admin
        )
    for requirement in open_call.attachment_requirements.all():
        services.add_attachment(
            application=application,
            requirement=requirement,
            upload=SimpleUploadedFile("plan.pdf", PDF_BYTES),
            actor=lead_admin,
        )
    application.refresh_from_db()
    return application, lead_admin


def session_cookie(person: User, *, mfa: bool = True) -> str:
    """The session cookie of `person` signed in, as allauth leaves a session after a password
    (and with `mfa` a TOTP code)."""
    client = Client()
    client.force_login(person, backend="accounts.backends.ModelBackend")
    now = time.time()
    records = [{"method": "password", "at": now, "email": person.email}]
    if mfa:
        records.append({"method": "mfa", "at": now, "type": "totp"})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_RECORDS_USER_KEY] = str(person.pk)
    session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value
