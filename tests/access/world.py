"""One compact seeded world for the access matrix: every kind of object a URL can name, owned by
two consortia that must never see each other's, and one person per role.

Built through the services (factories only where a service would need a long walk that other
tests cover: submitted applications' scores), so each object is in a state its pages serve.

Consortium A (the ``member`` role administers its lead, ``org_a``) and consortium B (``other``
administers its lead, ``org_b``) each have a submitted, scored, selected and funded application
in the decided call, a voucher with instalments, a paid pre-financing and an accepted public
deliverable. A also has a draft in the open call, into which nobody else is invited; B has a
draft that invites ``org_a`` (so the member has an invitation to answer). The ``evaluator``
scored A; ``evaluator_other`` is in the pool, declared, and assigned nothing to evaluate: they
mentor A's voucher (declared no conflict, one meeting logged).
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import roles
from accounts import services as accounts_services
from accounts.models import Membership, Organisation, User
from calls import services as calls_services
from calls.models import Application, ApplicationState, Call, CallState, MemberRole
from evaluation.models import (
    Assignment,
    AssignmentRun,
    AssignmentRunStatus,
    AssignmentState,
    ConflictDeclaration,
    DecisionSession,
    EvaluatorProfile,
    Score,
)
from evaluation.services import decision as decision_services
from evaluation.services import eligibility as eligibility_services
from evaluation.services import evaluators as evaluator_services
from evaluation.services import publication as publication_services
from evaluation.services import redress as redress_services
from events import brokerage as brokerage_services
from events import registration as event_registration_services
from events import services as event_services
from impact import services as impact_services
from impact.models import Indicator
from matchmaking import services as matchmaking_services
from mentoring import services as mentoring_services
from minegap.ledger.models import AuditEntry
from minegap.privacy import services as privacy_services
from tests.calls.factories import PDF_BYTES, CallFactory
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from vouchers import services as voucher_services
from vouchers.models import DeliverableState, InstalmentShare, Voucher

#: The roles of the matrix, in the order of the expectation table's columns.
ROLES = (
    "anonymous",
    "no_organisation",
    "other_applicant",
    "member",
    "evaluator_other",
    "evaluator",
    "committee",
    "staff_no_mfa",
    "staff",
)
#: Roles signed in with their password only: a TOTP is enrolled, but this session did not pass it.
SINGLE_FACTOR = ("staff_no_mfa",)

COMPLAINT_GROUNDS = (
    "The evaluators did not read the attached work plan at all, as the summary report shows: "
    "it says the plan is missing although it was attached on time."
)
INTEREST_TO_A = "Beta would like to apply together with Alpha."
INTEREST_FROM_A = "Alpha needs a drilling partner such as Beta."
TOKEN_A, TOKEN_B = "Alpha reporting script", "Beta reporting script"
MEMBER_EMAIL, OTHER_EMAIL = "mia.member@alpha.example", "otis.other@beta.example"
MENTORING_ADVICE = "Private mentoring advice for Alpha."
MEETING_MESSAGE = "Beta would like to meet Alpha at the brokerage."


@dataclass
class World:
    users: dict[str, User | None]
    ids: dict[str, object]


def _with_totp(user: User) -> User:
    TOTP.activate(user, generate_totp_secret())
    return user


def _privileged(role: str, **kwargs) -> User:
    return _with_totp(UserFactory(roles=[role], **kwargs))


def _evaluator(**kwargs) -> User:
    user = _privileged(roles.EVALUATOR, **kwargs)
    EvaluatorProfile.objects.create(
        user=user, country="SE", max_proposals=10, declaration_accepted_at=timezone.now()
    )
    return user


def _organisation(name: str, country: str, admin: User) -> Organisation:
    organisation = OrganisationFactory(
        legal_name=name, country=country, sme_declaration__signed_by=admin
    )
    MembershipFactory(user=admin, organisation=organisation)
    return organisation


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def private(acronym: str) -> str:
    """Text only the application's consortium, its assigned evaluators and staff may read."""
    return f"Private answer of {acronym}."


def _draft(call: Call, lead: Organisation, admin: User, acronym: str) -> Application:
    application = calls_services.create_application(call=call, organisation=lead, actor=admin)
    calls_services.update_overview(
        application=application,
        actor=admin,
        title=f"{acronym} project",
        acronym=acronym,
        summary=f"Private summary of {acronym}.",
        voucher_type=call.voucher_types.get(name="Demonstration"),
    )
    return application


def _submitted(call: Call, lead, lead_admin, partner, partner_admin, acronym: str) -> Application:
    """A complete application submitted through the calls services while the call is open."""
    application = _draft(call, lead, lead_admin, acronym)
    lead_member = application.members.get(is_lead=True)
    calls_services.update_member_budget(
        member=lead_member,
        actor=lead_admin,
        role=MemberRole.ADOPTER,
        requested_amount=Decimal("30000.00"),
    )
    calls_services.sign_declaration(member=lead_member, actor=lead_admin)
    member = calls_services.invite_partner(
        application=application, organisation=partner, invited_by=lead_admin
    )
    calls_services.confirm_participation(
        member=member,
        actor=partner_admin,
        role=MemberRole.PROVIDER,
        requested_amount=Decimal("20000.00"),
    )
    calls_services.sign_declaration(member=member, actor=partner_admin)
    for question in call.questions.all():
        calls_services.save_answer(
            application=application, question=question, text=private(acronym), actor=lead_admin
        )
    for requirement in call.attachment_requirements.all():
        calls_services.add_attachment(
            application=application,
            requirement=requirement,
            upload=_pdf("plan.pdf"),
            actor=lead_admin,
        )
    calls_services.submit_application(application=application, actor=lead_admin)
    return application


def _scored(application: Application, evaluator: User, value: str) -> Assignment:
    assignment = Assignment.objects.create(
        application=application,
        evaluator=evaluator,
        state=AssignmentState.SCORED,
        declaration=ConflictDeclaration.NO_CONFLICT,
        declared_at=timezone.now(),
        submitted_at=timezone.now(),
    )
    for criterion in application.call.criteria.all():
        Score.objects.create(
            assignment=assignment,
            criterion=criterion,
            value=Decimal(value),
            justification="A justification long enough to explain the score given here.",
        )
    return assignment


def _run_voucher(voucher: Voucher, admins: list[User], staff: User, approver: User) -> dict:
    """Sign, countersign, pay the pre-financing, accept the final report and publish it."""
    for share in voucher.shares.order_by("pk"):
        admin = next(a for a in admins if share.organisation.memberships.filter(user=a).exists())
        voucher_services.sign_share(share=share, actor=admin, password=DEFAULT_PASSWORD)
    voucher = voucher_services.countersign(voucher=voucher, actor=staff)
    instalment = voucher.instalments.order_by("sequence").first()
    request = voucher_services.request_payment(instalment=instalment, actor=staff)
    voucher_services.approve_payment(payment_request=request, actor=approver)
    for split in InstalmentShare.objects.filter(instalment=instalment).order_by("pk"):
        voucher_services.record_payment(
            split=split,
            actor=staff,
            idempotency_key=f"matrix-{split.pk}",
            value_date=timezone.localdate(),
            bank_reference=f"TRF-{split.pk}",
        )
    final = voucher.deliverables.get(is_final=True)
    version = voucher_services.submit_deliverable(
        deliverable=final, upload=_pdf("final-report.pdf"), actor=admins[0]
    )
    voucher_services.review_deliverable(deliverable=final, actor=staff, accept=True)
    voucher_services.set_deliverable_public(deliverable=final, public=True, actor=staff)
    pending = voucher.deliverables.filter(state=DeliverableState.PENDING).order_by("pk").first()
    return {
        "milestone": voucher.milestones.order_by("sequence").first().pk,
        "voucher": voucher.pk,
        "share": voucher.shares.get(organisation=voucher.application.lead_organisation).pk,
        "instalment": instalment.pk,
        "payment_request": request.pk,
        "split": split.pk,
        "deliverable": (pending or final).pk,
        "version": version.pk,
    }


def build() -> World:
    now = timezone.now()
    staff = _privileged(roles.STAFF, full_name="Stella Staff")
    staff_no_mfa = _privileged(roles.STAFF, full_name="Sam Singlefactor")
    approver = _privileged(roles.STAFF, full_name="Otto Approver")
    committee = [_privileged(roles.COMMITTEE, full_name=f"Member {i}") for i in range(3)]
    evaluator = _evaluator(full_name="Eva Assigned")
    evaluator_other = _evaluator(full_name="Evan Unassigned")
    helpers = [_evaluator(full_name=f"Helper {i}") for i in range(3)]
    member = UserFactory(full_name="Mia Member", email=MEMBER_EMAIL)
    other = UserFactory(full_name="Otis Other", email=OTHER_EMAIL)
    partner_a_admin, partner_b_admin = UserFactory(), UserFactory()
    no_organisation = UserFactory(full_name="Noor Noorg")

    org_a = _organisation("Alpha Sorting Oy", "FI", member)
    org_a2 = _organisation("Alpha Partner Lda", "PT", partner_a_admin)
    org_b = _organisation("Beta Drilling AB", "SE", other)
    org_b2 = _organisation("Beta Partner SA", "ES", partner_b_admin)
    colleague = MembershipFactory(organisation=org_a, role=Membership.Role.MEMBER)
    colleague_b = MembershipFactory(organisation=org_b, role=Membership.Role.MEMBER)
    invitation = accounts_services.invitation_send(
        organisation=org_a, inviter=member, email="newcomer@example.eu", role="member"
    )

    # The decided call: both consortia apply, are scored, selected, funded.
    decided = CallFactory(
        slug="decided-call",
        code="DEC",
        opens_at=now - timedelta(days=60),
        closes_at=now + timedelta(days=1),
        state=CallState.PUBLISHED,
        total_budget=Decimal("200000.00"),
    )
    app_a = _submitted(decided, org_a, member, org_a2, partner_a_admin, "ALPHAPRJ")
    app_b = _submitted(decided, org_b, other, org_b2, partner_b_admin, "BETAPRJ")
    gamma_admin, gamma_partner_admin = UserFactory(), UserFactory()
    app_c = _submitted(
        decided,
        _organisation("Gamma Mining GmbH", "DE", gamma_admin),
        gamma_admin,
        _organisation("Gamma Partner SRL", "BG", gamma_partner_admin),
        gamma_partner_admin,
        "GAMMAPRJ",
    )
    Call.objects.filter(pk=decided.pk).update(closes_at=now - timedelta(hours=1))
    decided.refresh_from_db()
    eligibility_services.run_eligibility_checks(call=decided, actor=staff)
    eligibility_services.decide_eligibility(
        application=app_c, actor=staff, decision="ineligible", reason="Not an SME consortium."
    )
    Application.objects.filter(pk__in=[app_a.pk, app_b.pk]).update(state=ApplicationState.EVALUATED)
    assignment = _scored(app_a, evaluator, "4.5")
    _scored(app_a, helpers[0], "4.5")
    _scored(app_b, helpers[1], "4")
    _scored(app_b, helpers[2], "4")
    session = decision_services.open_decision_session(call=decided, actor=staff)
    decision_services.record_attendance(session=session, actor=staff, present=committee)
    decision_services.open_voting(session=session, actor=staff)
    for person in committee:
        decision_services.cast_vote(session=session, member=person, choice="for")
    session = decision_services.close_session(session=session, actor=staff)
    publication_services.publish_results(call=decided, actor=staff)
    complaint = redress_services.file_complaint(
        application=app_a,
        actor=member,
        grounds=COMPLAINT_GROUNDS,
    )
    voucher_a = _run_voucher(
        Voucher.objects.get(application=app_a), [member, partner_a_admin], staff, approver
    )
    voucher_b = _run_voucher(
        Voucher.objects.get(application=app_b), [other, partner_b_admin], staff, approver
    )
    # Mentoring: the expert assigned nothing to evaluate mentors A's project (declared, logged).
    mentor_assignment = mentoring_services.assign_mentor(
        voucher=Voucher.objects.get(application=app_a), mentor=evaluator_other, actor=staff
    )
    mentor_assignment = mentoring_services.declare_conflict(
        assignment=mentor_assignment, actor=evaluator_other, conflict=False
    )
    mentoring_services.record_meeting(
        assignment=mentor_assignment,
        actor=evaluator_other,
        held_on=timezone.localdate(),
        topics="Pilot planning",
        advice=MENTORING_ADVICE,
    )

    # Impact: the decided call asks two indicators; A's lead reported its baseline.
    impact_services.add_presets(call=decided, actor=staff, keys=["turnover", "mine_pilots"])
    lessons = impact_services.create_indicator(
        call=decided,
        actor=staff,
        name="Lessons learnt",
        kind="text",
        at_baseline=False,
        at_final=True,
        required=False,
    )
    turnover = Indicator.objects.get(call=decided, preset="turnover")
    impact_report = impact_services.submit_report(
        share=Voucher.objects.get(application=app_a).shares.get(organisation=org_a),
        stage="baseline",
        actor=member,
        values={turnover.pk: Decimal("250000.00")},
    )

    # The open call: A's draft; B's draft, which invites org_a.
    open_call = CallFactory(slug="open-call", code="OPN", state=CallState.PUBLISHED)
    document = calls_services.add_call_document(
        call=open_call, actor=staff, title="Guide for applicants", upload=_pdf("g.pdf"), kind="pdf"
    )
    draft_a = _draft(open_call, org_a, member, "ALPHADRAFT")
    answer_question = open_call.questions.order_by("pk").first()
    calls_services.save_answer(
        application=draft_a, question=answer_question, text=private("ALPHADRAFT"), actor=member
    )
    draft_attachment = calls_services.add_attachment(
        application=draft_a,
        requirement=open_call.attachment_requirements.first(),
        upload=_pdf("draft-plan.pdf"),
        actor=member,
    )
    draft_b = _draft(open_call, org_b, other, "BETADRAFT")
    invited = calls_services.invite_partner(
        application=draft_b, organisation=org_a, invited_by=other
    )

    # Matchmaking: both leads publish a profile; B writes to A, A writes to B's partner.
    profile_a = _profile(org_a, member)
    profile_b = _profile(org_b, other)
    profile_b2 = _profile(org_b2, partner_b_admin)
    interest_to_a = matchmaking_services.send_interest(
        sender=org_b, receiver=org_a, actor=other, message=INTEREST_TO_A
    )
    interest_from_a = matchmaking_services.send_interest(
        sender=org_a, receiver=org_b2, actor=member, message=INTEREST_FROM_A
    )
    blocked = OrganisationFactory(legal_name="Spam Minerals Ltd")
    matchmaking_services.block_organisation(blocker=org_a, blocked=blocked, actor=member)

    # Events: a published info day on the open call (upcoming).
    event = _published_event(
        staff,
        kind="info_day",
        title="Info day of the open call",
        description="How to apply.",
        starts_at=now + timedelta(days=20),
        ends_at=now + timedelta(days=20, hours=3),
        registration_deadline=now + timedelta(days=19),
        call=open_call,
    )
    event_registration = event_registration_services.register(event=event, user=member)
    # ... and a past one, its slides uploaded as a PDF (public once the event ended).
    held = _published_event(
        staff,
        kind="info_day",
        title="Past info day",
        description="How to apply.",
        starts_at=now - timedelta(days=3, hours=3),
        ends_at=now - timedelta(days=3),
        registration_deadline=now - timedelta(days=4),
    )
    slides = event_services.add_material(
        event=held,
        actor=staff,
        title="Slides",
        upload=_pdf("slides.pdf"),
        kind="pdf",
    )
    # A published brokerage event with its grid: A and B take part, B asked A for a meeting.
    brokerage_event = _published_event(
        staff,
        kind="brokerage",
        title="Brokerage of the open call",
        description="One-to-one meetings.",
        starts_at=now + timedelta(days=21),
        ends_at=now + timedelta(days=21, hours=2),
        registration_deadline=now + timedelta(days=20),
    )
    brokerage_services.configure_brokerage(
        event=brokerage_event, actor=staff, meeting_minutes=20, tables=5
    )
    brokerage_a = event_registration_services.register(
        event=brokerage_event, user=member, organisation=org_a
    )
    brokerage_b = event_registration_services.register(
        event=brokerage_event, user=other, organisation=org_b
    )
    meeting_request = brokerage_services.request_meeting(
        requester=brokerage_b, addressee=brokerage_a, actor=other, message=MEETING_MESSAGE
    )

    # ... and an upcoming brokerage event where A's and B's administrators have a meeting.
    fair = _published_event(
        staff,
        kind="brokerage",
        title="Brokerage of the open call",
        description="One-to-one meetings.",
        starts_at=now + timedelta(days=21),
        ends_at=now + timedelta(days=21, hours=2),
        registration_deadline=now + timedelta(days=19),
        call=open_call,
    )
    brokerage_services.configure_brokerage(event=fair, actor=staff, meeting_minutes=20, tables=2)
    seat_a = event_registration_services.register(event=fair, user=member, organisation=org_a)
    seat_b = event_registration_services.register(event=fair, user=other, organisation=org_b)
    fair_request = brokerage_services.request_meeting(
        requester=seat_a, addressee=seat_b, actor=member
    )
    brokerage_services.accept_meeting(meeting_request=fair_request, actor=other)

    join = evaluator_services.invite_evaluator(email="future-evaluator@example.eu", actor=staff)
    token, _secret = accounts_services.api_token_create(
        user=member, name=TOKEN_A, session_mfa=False
    )
    token_b, _secret = accounts_services.api_token_create(
        user=other, name=TOKEN_B, session_mfa=False
    )
    # Built by its task once the world's transaction "commits" (conftest runs the callbacks).
    data_export = privacy_services.request_export(user=member)
    # A finished run of the automatic assignment (its service needs a call waiting for
    # evaluators, which the decided call no longer is).
    assignment_run = AssignmentRun.objects.create(
        call=decided, requested_by=staff, status=AssignmentRunStatus.DONE, created=0
    )

    return World(
        users={
            "anonymous": None,
            "no_organisation": no_organisation,
            "other_applicant": other,
            "member": member,
            "evaluator_other": evaluator_other,
            "evaluator": evaluator,
            "committee": committee[0],
            "staff_no_mfa": staff_no_mfa,
            "staff": staff,
        },
        ids={
            "organisation": org_a.pk,
            "organisation_b": org_b.pk,
            "membership": colleague.pk,
            "membership_b": colleague_b.pk,
            "invitation": invitation.pk,
            "invitation_token": invitation.token,
            "sme_version": 1,
            "call_slug": decided.slug,
            "open_call_slug": open_call.slug,
            "document": document.pk,
            "application": app_a.pk,
            "application_b": app_b.pk,
            "ineligible": app_c.pk,
            "draft": draft_a.pk,
            "draft_b": draft_b.pk,
            "question": answer_question.pk,
            "draft_attachment": draft_attachment.pk,
            "attachment": app_a.attachments.get().pk,
            "attachment_b": app_b.attachments.get().pk,
            "receipt": 1,
            "consortium_invitation": invited.pk,
            "assignment": assignment.pk,
            "assignment_run": assignment_run.pk,
            "complaint": complaint.pk,
            "session": session.pk,
            "entry": session.entries.get(application=app_a).pk,
            "join_token": join.token,
            "api_token": token.pk,
            "api_token_b": token_b.pk,
            "data_export": data_export.pk,
            "profile": profile_b.pk,
            "profile_a": profile_a.pk,
            "profile_b2": profile_b2.pk,
            "interest_to_a": interest_to_a.pk,
            "interest_from_a": interest_from_a.pk,
            "blocked": blocked.pk,
            "event": event.pk,
            "indicator": lessons.pk,
            "impact_report": impact_report.pk,
            "event_registration": event_registration.pk,
            "past_event": held.pk,
            "fair_event": fair.pk,
            "fair_request": fair_request.pk,
            "event_material": slides.pk,
            "brokerage_event": brokerage_event.pk,
            "brokerage_registration_b": brokerage_b.pk,
            "meeting_request": meeting_request.pk,
            "ledger_seq": AuditEntry.objects.order_by("seq").values_list("seq", flat=True).first(),
            **{f"{name}": value for name, value in voucher_a.items()},
            **{f"{name}_b": value for name, value in voucher_b.items()},
            "decision_session": DecisionSession.objects.get(call=decided).pk,
            "mentor_assignment": mentor_assignment.pk,
        },
    )


def _published_event(staff, **fields):
    """An event in Brussels with 30 places, created and published through the services."""
    event = event_services.create_event(
        actor=staff, time_zone="Europe/Brussels", place="Brussels", capacity=30, **fields
    )
    return event_services.publish_event(event=event, actor=staff)


def _profile(organisation: Organisation, admin: User):
    profile = matchmaking_services.save_profile(
        organisation=organisation,
        actor=admin,
        summary=f"{organisation.legal_name} works with mines.",
        role_sought="provider",
    )
    return matchmaking_services.publish_profile(profile=profile, actor=admin)
