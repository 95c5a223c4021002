"""Ada and Bo, two people who share an organisation, an application, an evaluated proposal, a
committee session and a voucher: the world the export-section tests read each app's section
of."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from accounts.models import ApiToken, ApiTokenUse, Membership
from calls.models import (
    Answer,
    ApplicationState,
    ApplicationVersion,
    Attachment,
    ConsortiumMember,
    MemberRole,
    MemberStatus,
)
from evaluation.models import (
    Assignment,
    AssignmentState,
    Complaint,
    Consensus,
    ConsensusAgreement,
    ConsensusScore,
    ConsensusState,
    DecisionAttendance,
    DecisionSession,
    DecisionVote,
    EvaluatorExpertise,
    EvaluatorProfile,
    Score,
)
from matchmaking.models import ExpressionOfInterest, OrganisationBlock, PartnerProfile
from minegap.ledger.services import record
from minegap.notifications.models import Notification
from tests.calls.factories import ApplicationFactory, CallFactory, MemberFactory
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SMEDeclarationFactory,
    UserFactory,
)
from vouchers.models import BeneficiaryShare, Deliverable, DeliverableVersion, Milestone, Voucher

MOMENT = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
AT = "2026-05-04T09:30:00Z"


def _seed() -> dict:
    """Ada and Bo, both of Alpha Sorting Oy, each with records in every app."""
    ada = UserFactory(email="ada@alpha.example", full_name="Ada Lindqvist")
    bo = UserFactory(email="bo@alpha.example", full_name="Bo Berg")
    staff = UserFactory(email="stella@programme.example", full_name="Stella Staff")
    for person in (ada, bo):
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    Authenticator.objects.create(user=ada, type="totp", data={"secret": "ADA-TOTP-SECRET"})

    alpha = OrganisationFactory(legal_name="Alpha Sorting Oy", country="FI", sme_declaration=False)
    beta = OrganisationFactory(legal_name="Beta Drilling AB", country="SE", sme_declaration=False)
    gamma = OrganisationFactory(legal_name="Gamma Partner Lda", country="PT", sme_declaration=False)
    spam = OrganisationFactory(legal_name="Spam Minerals Ltd", country="FI", sme_declaration=False)
    MembershipFactory(user=ada, organisation=alpha, role=Membership.Role.ADMIN)
    MembershipFactory(user=bo, organisation=alpha, role=Membership.Role.MEMBER)
    SMEDeclarationFactory(
        organisation=alpha, version=1, reference_year=2025, signed_by=ada, superseded_at=MOMENT
    )
    SMEDeclarationFactory(organisation=alpha, version=2, reference_year=2025, signed_by=bo)
    for person, name, letter in ((ada, "Ada's script", "a"), (bo, "Bo's script", "b")):
        token = ApiToken.objects.create(
            user=person,
            name=name,
            digest=letter * 64,
            mfa_verified=person == ada,
            expires_at=MOMENT + timedelta(days=30),
        )
        ApiTokenUse.objects.create(
            token=token, method="GET", path=f"/api/v1/{letter}/", client_address="192.0.2.10"
        )

    # calls: Alpha leads SENSORT, with Gamma as partner; Beta invites Ada's address to DRILLX.
    call = CallFactory(code="MTG1", title="Mining call one")
    first_question, second_question = call.questions.order_by("order")
    sensort = ApplicationFactory(
        call=call,
        lead_organisation=alpha,
        created_by=ada,
        title="Sensor-driven ore sorting",
        acronym="SENSORT",
        summary="Sorting ore with sensors.",
        state=ApplicationState.SUBMITTED,
        reference="MTG1-001",
        submitted_at=MOMENT,
    )
    lead_line = MemberFactory(
        application=sensort,
        organisation=alpha,
        is_lead=True,
        role=MemberRole.ADOPTER,
        requested_amount=Decimal("40000.00"),
        budget_description="Sensors and field trials",
        declaration_signed_at=MOMENT,
        declaration_signed_by=ada,
    )
    MemberFactory(
        application=sensort,
        organisation=gamma,
        requested_amount=Decimal("20000.00"),
        budget_description="Gamma's sorting software",
    )
    Answer.objects.create(application=sensort, question=first_question, text="Ore dilution.")
    Answer.objects.create(application=sensort, question=second_question, text="Less waste rock.")
    for number, person in ((1, bo), (2, ada)):
        ApplicationVersion.objects.create(
            application=sensort,
            number=number,
            submitted_at=MOMENT,
            submitted_by=person,
            snapshot={},
        )
    requirement = call.attachment_requirements.get()
    for name, person, letter in (("work-plan.pdf", ada, "c"), ("bo-budget.pdf", bo, "e")):
        Attachment.objects.create(
            application=sensort,
            requirement=requirement,
            file=f"private/calls/attachments/{letter}.pdf",
            original_name=name,
            kind="pdf",
            size=1234,
            sha256=letter * 64,
            uploaded_by=person,
        )
    drillx = ApplicationFactory(call=call, lead_organisation=beta, acronym="DRILLX")
    MemberFactory(application=drillx, organisation=beta, is_lead=True)
    ConsortiumMember.objects.create(
        application=drillx, invited_email="ADA@alpha.example", status=MemberStatus.INVITED
    )

    # evaluation: Ada and Bo both score Beta's DEEPCORE in another call, sit on its committee.
    other_call = CallFactory(code="MTG2", title="Mining call two")
    deepcore = ApplicationFactory(
        call=other_call,
        lead_organisation=beta,
        acronym="DEEPCORE",
        reference="MTG2-007",
        state=ApplicationState.UNDER_EVALUATION,
    )
    profile = EvaluatorProfile.objects.create(
        user=ada,
        country="FI",
        employer_name="Alpha Sorting Oy",
        keywords="sorting, sensors",
        max_proposals=5,
        declaration_accepted_at=MOMENT,
    )
    EvaluatorExpertise.objects.create(profile=profile, kind="area", name="Ore sorting", weight=1)
    justifications = {
        ada: ["Clear method.", "Broad uptake.", "Tight plan."],
        bo: ["Bo finds it vague.", "Bo doubts it.", "Bo: late plan."],
    }
    for person, texts in justifications.items():
        assignment = Assignment.objects.create(
            application=deepcore,
            evaluator=person,
            state=AssignmentState.SCORED,
            declaration="no_conflict",
            declaration_note=f"{person.full_name} never worked with Beta.",
            declared_at=MOMENT,
            submitted_at=MOMENT,
        )
        values = ("4.5", "4.0", "3.5") if person == ada else ("2.0", "2.5", "1.0")
        for criterion, value, text in zip(
            other_call.criteria.order_by("order"), values, texts, strict=True
        ):
            Score.objects.create(
                assignment=assignment, criterion=criterion, value=Decimal(value), justification=text
            )
    consensus = Consensus.objects.create(
        application=deepcore,
        rapporteur=ada,
        state=ConsensusState.PROPOSED,
        comment="Ada's synthesis of both reports.",
        proposed_at=MOMENT,
    )
    consensus_values = ("3.5", "3.0", "2.5")
    for criterion, value in zip(
        other_call.criteria.order_by("order"), consensus_values, strict=True
    ):
        ConsensusScore.objects.create(
            consensus=consensus, criterion=criterion, value=Decimal(value), comment="Agreed."
        )
    ConsensusAgreement.objects.create(
        consensus=consensus, evaluator=bo, agreed=False, comment="Bo would score Impact lower."
    )
    session = DecisionSession.objects.create(
        call=other_call, quorum=2, meeting_date=date(2026, 5, 4)
    )
    for person, choice in ((ada, "for"), (bo, "against")):
        DecisionAttendance.objects.create(session=session, member=person)
        DecisionVote.objects.create(session=session, member=person, choice=choice)
    Complaint.objects.create(
        application=sensort,
        filed_by=ada,
        grounds="The work plan was not read.",
        due_by=date(2026, 6, 4),
    )
    Complaint.objects.create(
        application=sensort, filed_by=bo, grounds="Bo's own complaint.", due_by=date(2026, 6, 4)
    )

    # matchmaking: Alpha's profile names Bo as contact; each of them wrote to someone.
    PartnerProfile.objects.create(
        organisation=alpha,
        name="Alpha Sorting Oy",
        country="FI",
        summary="Alpha sorts ore with sensors.",
        role_sought="provider",
        contact_person=bo,
    )
    ExpressionOfInterest.objects.create(
        sender=alpha, receiver=beta, sent_by=ada, message="Ada would like to drill with Beta."
    )
    ExpressionOfInterest.objects.create(
        sender=alpha, receiver=gamma, sent_by=bo, message="Bo asks Gamma for software."
    )
    OrganisationBlock.objects.create(blocker=alpha, blocked=spam, blocked_by=ada)

    # vouchers: Ada signs Alpha's share; Ada and Bo each upload a version of the trial report.
    voucher = Voucher.objects.create(
        call=call,
        application=sensort,
        agreement_number="MTG1-001-V",
        amount=Decimal("60000.00"),
        state="signed",
        signed_at=MOMENT,
    )
    BeneficiaryShare.objects.create(
        voucher=voucher,
        organisation=alpha,
        member=lead_line,
        amount=Decimal("40000.00"),
        signed_at=MOMENT,
        signed_by=ada,
    )
    milestone = Milestone.objects.create(
        voucher=voucher, sequence=1, title="Field trial", due_date=date(2026, 9, 1)
    )
    deliverable = Deliverable.objects.create(
        voucher=voucher, milestone=milestone, title="Trial report", due_date=date(2026, 9, 1)
    )
    DeliverableVersion.objects.create(
        deliverable=deliverable,
        number=1,
        file="private/vouchers/deliverables/f.pdf",
        original_name="trial-report.pdf",
        kind="pdf",
        size=2048,
        sha256="f" * 64,
        uploaded_by=ada,
        outcome="returned",
        comments="Add the sensor logs.",
        reviewed_by=staff,
        reviewed_at=MOMENT,
    )
    DeliverableVersion.objects.create(
        deliverable=deliverable,
        number=2,
        file="private/vouchers/deliverables/g.pdf",
        original_name="bo-trial-report.pdf",
        kind="pdf",
        size=4096,
        sha256="9" * 64,
        uploaded_by=bo,
    )

    # notifications: one e-mail each.
    Notification.objects.create(
        recipient=ada,
        email=ada.email,
        template="vouchers/signed",
        subject="Voucher MTG1-001-V is signed",
        context={"agreement": "MTG1-001-V"},
        attachments=[{"path": "private/x.pdf", "filename": "agreement.pdf", "mimetype": ""}],
        status=Notification.Status.SENT,
        sent_at=MOMENT,
    )
    Notification.objects.create(
        recipient=bo,
        email=bo.email,
        template="vouchers/reminder",
        subject="Bo, a reminder",
        context={"name": "Bo Berg"},
    )
    # ledger: each of them recorded an act, with a note they wrote.
    for person in (ada, bo):
        record(
            action="privacy.test.noted",
            target=voucher,
            actor=person,
            notes={"comment": f"{person.full_name} checked the trial report."},
        )
    return {
        "ada": ada,
        "bo": bo,
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,
        "spam": spam,
        "voucher": voucher,
    }


def seeded_world() -> dict:
    with time_machine.travel(MOMENT, tick=False):
        return _seed()
