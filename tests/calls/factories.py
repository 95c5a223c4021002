"""Factories for calls and applications. `open_call()` and `complete_application()` build the
common cases: an open call configured like MINE.THE.GAP, and an application ready to submit."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from calls import services
from calls.models import (
    Application,
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
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

MTG_COUNTRIES = ["BG", "FI", "FR", "DE", "GR", "PL", "PT", "ES", "SE"]


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Open call {n} for mining innovation")
    slug = factory.Sequence(lambda n: f"open-call-{n}")
    code = factory.Sequence(lambda n: f"OC{n}")
    summary = "Innovation vouchers for SME consortia in mining and raw materials."
    body = "Full text of the call: who can apply, what is funded, how proposals are evaluated."
    total_budget = Decimal("1500000.00")
    cap_per_project = Decimal("150000.00")
    cap_per_third_party = Decimal("60000.00")
    eligible_countries = factory.LazyFunction(lambda: list(MTG_COUNTRIES))
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    state = CallState.PUBLISHED

    @factory.post_generation
    def configured(self, create, extracted, **kwargs):
        """Voucher types, criteria, questions and one required attachment (pass False to skip)."""
        if not create or extracted is False:
            return
        VoucherType.objects.create(
            call=self, name="Proof of concept", cap_per_sme=Decimal("25000.00"), order=1
        )
        VoucherType.objects.create(
            call=self, name="Demonstration", cap_per_sme=Decimal("50000.00"), order=2
        )
        criteria = [
            Criterion.objects.create(call=self, name=name, order=i, weight=weight)
            for i, (name, weight) in enumerate(
                [("Excellence", 1), ("Impact", Decimal("1.5")), ("Implementation", 1)]
            )
        ]
        Question.objects.create(
            call=self,
            label="What problem does the project solve?",
            char_limit=500,
            criterion=criteria[0],
            order=1,
        )
        Question.objects.create(
            call=self,
            label="What is the expected impact?",
            char_limit=500,
            criterion=criteria[1],
            order=2,
        )
        AttachmentRequirement.objects.create(
            call=self, label="Work plan", allowed_types=["pdf", "docx"], max_size_mb=1, order=1
        )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    lead_organisation = factory.SubFactory(OrganisationFactory)
    title = "Sensor-driven ore sorting"
    acronym = "SENSORT"
    summary = "Real-time ore sorting with wireless sensors at a Lapland mine."


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsortiumMember

    application = factory.SubFactory(ApplicationFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = MemberStatus.CONFIRMED
    role = MemberRole.PROVIDER
    requested_amount = Decimal("20000.00")


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def complete_application(call: Call | None = None, *, lead_country: str = "FI"):
    """An application with everything a submission needs; returns (application, lead_admin)."""
    call = call or CallFactory()
    lead_admin = UserFactory()
    lead = OrganisationFactory(country=lead_country)
    MembershipFactory(user=lead_admin, organisation=lead)
    application = services.create_application(call=call, organisation=lead, actor=lead_admin)
    services.update_overview(
        application=application,
        actor=lead_admin,
        title="Sensor-driven ore sorting",
        acronym="SENSORT",
        summary="Real-time ore sorting with wireless sensors at a Lapland mine.",
        voucher_type=call.voucher_types.get(name="Demonstration"),
    )
    lead_member = application.members.get(is_lead=True)
    services.update_member_budget(
        member=lead_member,
        actor=lead_admin,
        role=MemberRole.ADOPTER,
        requested_amount=Decimal("30000.00"),
    )
    services.sign_declaration(member=lead_member, actor=lead_admin)
    partner_admin = UserFactory()
    partner = OrganisationFactory(country="PT", nuts_region="PT16")
    MembershipFactory(user=partner_admin, organisation=partner)
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
    for question in call.questions.all():
        services.save_answer(
            application=application, question=question, text="A clear answer.", actor=lead_admin
        )
    for requirement in call.attachment_requirements.all():
        services.add_attachment(
            application=application,
            requirement=requirement,
            upload=SimpleUploadedFile("plan.pdf", PDF_BYTES),
            actor=lead_admin,
        )
    application.refresh_from_db()
    return application, lead_admin
