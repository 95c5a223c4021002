"""Demo calls modelled on MINE.THE.GAP (idempotent): call 1 closed with its applications,
call 2 open with a submitted application and a draft whose partner is still invited."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation, User
from calls import files, services
from calls.models import (
    Application,
    ApplicationState,
    ApplicationVersion,
    Attachment,
    AttachmentRequirement,
    Call,
    CallState,
    ConsortiumMember,
    Criterion,
    MemberRole,
    MemberStatus,
    Question,
    VoucherType,
)
from calls.services.applications import snapshot_of, snapshot_requested_total

BRUSSELS = ZoneInfo("Europe/Brussels")
WORK_PLAN_PDF = b"%PDF-1.4\n% MineGap demo work plan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MTG_COUNTRIES = ["BG", "FI", "FR", "DE", "GR", "PL", "PT", "ES", "SE"]
BODY = """MINE.THE.GAP supports SME consortia that bring digital, circular-economy, resource-efficiency
and advanced-manufacturing solutions into mining and raw-materials value chains.

Who can apply: consortia of 2 to 3 SMEs from at least 2 eligible countries, with at least one
technology adopter (mining or raw materials) and one technology provider.

What is funded: proof-of-concept vouchers (up to €25,000 per SME) and demonstration vouchers
(up to €50,000 per SME), paid 50 % at signature and 50 % after the final deliverable.

How proposals are evaluated: three independent evaluators score Excellence, Impact (weight 1.5)
and Implementation from 0 to 5; thresholds 3 per criterion and 10 of 15 in total. A Transparency
Committee adopts the ranking."""

QUESTIONS = [
    ("Excellence", "What is the innovation, and how mature is it (TRL today and at the end)?"),
    ("Impact", "What will change for the adopter, and how will the provider bring it to market?"),
    ("Implementation", "How will the consortium carry out the work: plan, roles and budget?"),
]

# (call number, adopter VAT, provider VAT, voucher, acronym, title, adopter EUR, provider EUR)
CALL1_PROJECTS = [
    (
        "FI28765432",
        "PT510987650",
        "Demonstration",
        "ORESENSE",
        "Wireless ore-grade sensing at the face",
        "48000.00",
        "50000.00",
    ),
    (
        "SE556677889901",
        "DE123456789",
        "Demonstration",
        "TAILBLOCK",
        "Construction blocks from iron-ore tailings",
        "45000.00",
        "50000.00",
    ),
    (
        "ESB47123456",
        "PL6340123456",
        "Proof of concept",
        "WEARPRINT",
        "3D-printed wear parts for tungsten crushers",
        "22000.00",
        "25000.00",
    ),
    (
        "ESA33123456",
        "FR12345678901",
        "Proof of concept",
        "FLUOREFF",
        "Energy audit and water loop for a fluorspar plant",
        "18500.00",
        "24000.00",
    ),
    (
        "PT509123450",
        "FI30123456",
        "Demonstration",
        "LITHTWIN",
        "Digital twin of a lithium pegmatite pit",
        "40000.00",
        "50000.00",
    ),
    (
        "EL094123456",
        "BG123456789",
        "Proof of concept",
        "BAUXCORE",
        "Drill-core imaging for bauxite grade prediction",
        "25000.00",
        "25000.00",
    ),
]
CALL2_SUBMITTED = (
    "FI29876543",
    "PT510987650",
    "Demonstration",
    "NICKELWATCH",
    "Bioleaching heap monitoring with edge analytics",
    "42000.00",
    "38000.00",
)
CALL2_DRAFT = (
    "FI28765432",
    "PT510987650",
    "Proof of concept",
    "GOLDSORT",
    "Sensor-based gold ore sorting in Central Lapland",
)


def _org(vat: str) -> Organisation | None:
    return Organisation.objects.filter(vat_number__iexact=vat).first()


def _admin(organisation: Organisation) -> User:
    return organisation.memberships.filter(role="admin").order_by("pk").first().user


def _configure(call: Call) -> None:
    VoucherType.objects.create(
        call=call, name="Proof of concept", cap_per_sme=Decimal("25000.00"), order=1
    )
    VoucherType.objects.create(
        call=call, name="Demonstration", cap_per_sme=Decimal("50000.00"), order=2
    )
    criteria = {}
    for order, (name, weight) in enumerate(
        [("Excellence", "1"), ("Impact", "1.5"), ("Implementation", "1")]
    ):
        criteria[name] = Criterion.objects.create(
            call=call, name=name, weight=Decimal(weight), order=order
        )
    for order, (criterion, label) in enumerate(QUESTIONS):
        Question.objects.create(
            call=call, label=label, char_limit=3000, criterion=criteria[criterion], order=order
        )
    AttachmentRequirement.objects.create(
        call=call,
        label="Work plan and Gantt chart",
        allowed_types=["pdf", "docx", "xlsx"],
        max_size_mb=10,
        order=1,
    )
    AttachmentRequirement.objects.create(
        call=call,
        label="Letters of commitment",
        allowed_types=["pdf"],
        max_size_mb=10,
        required=False,
        order=2,
    )


def _call(number: int, opens_at: datetime, closes_at: datetime, staff: User) -> tuple[Call, bool]:
    slug = f"mine-the-gap-open-call-{number}"
    call = Call.objects.filter(slug=slug).first()
    if call is not None:
        return call, False
    call = services.create_call(
        actor=staff,
        data={
            "title": f"MINE.THE.GAP Open Call {number}",
            "slug": slug,
            "code": f"MTG-OC{number}",
            "summary": "Innovation vouchers for SME consortia bridging the gap between mining and "
            "digital, circular and advanced-manufacturing technologies.",
            "body": BODY,
            "thematic_areas": [
                "Digital mining",
                "Circular economy",
                "Resource efficiency",
                "Advanced manufacturing",
            ],
            "total_budget": Decimal("1500000.00"),
            "cap_per_project": Decimal("150000.00"),
            "cap_per_third_party": Decimal("60000.00"),
            "eligible_countries": MTG_COUNTRIES,
            "opens_at": opens_at,
            "closes_at": closes_at,
        },
    )
    _configure(call)
    call = services.publish_call(call=call, actor=staff)
    return call, True


def _members(application: Application, project: tuple, *, signed_at: datetime) -> None:
    adopter_vat, provider_vat, _voucher, _acronym, _title, adopter_eur, provider_eur = project
    for vat, role, amount, lead in (
        (adopter_vat, MemberRole.ADOPTER, adopter_eur, True),
        (provider_vat, MemberRole.PROVIDER, provider_eur, False),
    ):
        organisation = _org(vat)
        ConsortiumMember.objects.update_or_create(
            application=application,
            organisation=organisation,
            defaults={
                "is_lead": lead,
                "status": MemberStatus.CONFIRMED,
                "role": role,
                "requested_amount": Decimal(amount),
                "budget_description": "Personnel, equipment and a pilot at the adopter's site.",
                "declaration_signed_at": signed_at,
                "declaration_signed_by": _admin(organisation),
            },
        )


def _answers(application: Application) -> None:
    for question in application.call.questions.all():
        application.answers.update_or_create(
            question=question,
            defaults={
                "text": f"{application.acronym}: {question.criterion.name.lower()} in a few "
                "clear paragraphs, with figures from the pilot site."
            },
        )


def _historic_application(call: Call, project: tuple, index: int) -> None:
    """Call 1 ran before the platform: its applications are imported as submitted records."""
    adopter = _org(project[0])
    if Application.objects.filter(call=call, lead_organisation=adopter).exists():
        return
    submitted_at = call.closes_at - timedelta(days=3, hours=index)
    application = Application.objects.create(
        call=call,
        lead_organisation=adopter,
        created_by=_admin(adopter),
        title=project[4],
        acronym=project[3],
        summary=f"{project[4]}: a pilot at the adopter's site with the provider's technology.",
        voucher_type=call.voucher_types.get(name=project[2]),
        state=ApplicationState.SUBMITTED,
        reference=f"{call.code}-{index + 1:04d}",
        submitted_at=submitted_at,
    )
    _members(application, project, signed_at=submitted_at - timedelta(days=1))
    _answers(application)
    _historic_work_plan(application, _admin(adopter))
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        submitted_at=submitted_at,
        submitted_by=_admin(adopter),
        snapshot=(snapshot := snapshot_of(application)),
        requested_total=snapshot_requested_total(snapshot),
    )
    Call.objects.filter(pk=call.pk).update(submission_counter=index + 1)


def _historic_work_plan(application: Application, uploader: User) -> None:
    """The work plan the call requires, as it was submitted (written directly, like the rest of
    the imported record: the call was closed before the platform took it over)."""
    upload = SimpleUploadedFile("work-plan.pdf", WORK_PLAN_PDF, content_type="application/pdf")
    attachment = Attachment(
        application=application,
        requirement=application.call.attachment_requirements.get(required=True),
        original_name=upload.name,
        kind=files.detect_kind(upload),
        size=upload.size,
        sha256=files.sha256_of(upload),
        uploaded_by=uploader,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()


def _live_application(call: Call, project: tuple, *, submit: bool) -> None:
    adopter, provider = _org(project[0]), _org(project[1])
    if Application.objects.filter(call=call, lead_organisation=adopter).exists():
        return
    lead_admin, partner_admin = _admin(adopter), _admin(provider)
    application = services.create_application(call=call, organisation=adopter, actor=lead_admin)
    services.update_overview(
        application=application,
        actor=lead_admin,
        title=project[4],
        acronym=project[3],
        summary=f"{project[4]}: a pilot at the adopter's site with the provider's technology.",
        voucher_type=call.voucher_types.get(name=project[2]),
    )
    member = services.invite_partner(
        application=application, organisation=provider, invited_by=lead_admin
    )
    if not submit:
        return
    lead = application.members.get(is_lead=True)
    services.update_member_budget(
        member=lead, actor=lead_admin, role=MemberRole.ADOPTER, requested_amount=Decimal(project[5])
    )
    services.sign_declaration(member=lead, actor=lead_admin)
    services.confirm_participation(
        member=member,
        actor=partner_admin,
        role=MemberRole.PROVIDER,
        requested_amount=Decimal(project[6]),
    )
    services.sign_declaration(member=member, actor=partner_admin)
    for question in call.questions.all():
        services.save_answer(
            application=application,
            question=question,
            text=f"{project[3]}: {question.criterion.name.lower()} explained with pilot figures.",
            actor=lead_admin,
        )
    _demo_work_plan(application, lead_admin)
    services.submit_application(application=application, actor=lead_admin)


def _demo_work_plan(application: Application, actor: User) -> None:
    requirement = application.call.attachment_requirements.get(required=True)
    services.add_attachment(
        application=application,
        requirement=requirement,
        upload=SimpleUploadedFile("work-plan.pdf", WORK_PLAN_PDF, content_type="application/pdf"),
        actor=actor,
    )


def seed(stdout) -> None:
    staff = User.objects.filter(email="staff@minegap.eu").first()
    if staff is None or _org("FI28765432") is None:
        stdout.write("calls: accounts demo data missing, skipped.")
        return
    call1, new1 = _call(
        1,
        datetime(2021, 3, 1, 10, 0, tzinfo=BRUSSELS),
        datetime(2021, 5, 31, 17, 0, tzinfo=BRUSSELS),
        staff,
    )
    for index, project in enumerate(CALL1_PROJECTS):
        _historic_application(call1, project, index)
    services.sync_call_state(call=call1)
    now = timezone.now().replace(microsecond=0)
    opens = now - timedelta(weeks=3)
    closes = (now + timedelta(weeks=9)).astimezone(BRUSSELS).replace(hour=17, minute=0, second=0)
    call2, new2 = _call(2, opens, closes, staff)
    if call2.state_at() == CallState.OPEN:
        _live_application(call2, CALL2_SUBMITTED, submit=True)
        _live_application(call2, CALL2_DRAFT, submit=False)
    stdout.write(
        f"calls: {Call.objects.count()} calls ({int(new1) + int(new2)} new), "
        f"{Application.objects.count()} applications."
    )
