from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from calls import services
from calls.models import ApplicationState, MemberStatus
from calls.selectors import awarded_total, funding_history
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.calls.factories import CallFactory, complete_application
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_submit_gives_a_reference_a_version_a_receipt_and_a_ledger_entry(
    django_capture_on_commit_callbacks,
):
    call = CallFactory(code="MTG-OC1")
    application, lead_admin = complete_application(call)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.submit_application(application=application, actor=lead_admin)
    application.refresh_from_db()
    version.refresh_from_db()
    assert (application.state, application.reference, version.number) == (
        ApplicationState.SUBMITTED,
        "MTG-OC1-0001",
        1,
    )
    assert version.receipt.read(5) == b"%PDF-"
    assert [m["legal_name"] for m in version.snapshot["members"]] == [
        m.organisation.legal_name for m in application.members.all()
    ]
    entry = AuditEntry.objects.get(action="calls.application.submitted")
    assert (entry.target_id, entry.data["reference"], entry.data["version"]) == (
        str(application.pk),
        "MTG-OC1-0001",
        1,
    )
    receipt_mails = sorted(
        Notification.objects.filter(template="calls/receipt").values_list("email", flat=True)
    )
    admins = sorted(m.organisation.memberships.get().user.email for m in application.members.all())
    assert receipt_mails == admins
    sent = [m for m in mail.outbox if m.subject == "Submission received: MTG-OC1-0001"]
    assert sorted(m.to[0] for m in sent) == admins
    assert {m.attachments[0][0] for m in sent} == {"MTG-OC1-0001-v1-receipt.pdf"}
    assert all(m.attachments[0][1][:5] == b"%PDF-" for m in sent)


def test_references_count_per_call():
    call = CallFactory(code="C9")
    first, first_admin = complete_application(call)
    second, second_admin = complete_application(call)
    services.submit_application(application=second, actor=second_admin)
    services.submit_application(application=first, actor=first_admin)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.reference, first.reference) == ("C9-0001", "C9-0002")


def test_submission_at_the_deadline_second_is_refused():
    call = CallFactory()
    application, lead_admin = complete_application(call)
    with pytest.raises(ValidationError) as error:
        services.submit_application(application=application, actor=lead_admin, now=call.closes_at)
    assert error.value.error_list[0].code == "deadline"
    local = call.closes_at.astimezone(call.tz)
    assert error.value.messages == [
        f"The deadline was {local:%Y-%m-%d %H:%M:%S} (Europe/Brussels): submissions are closed."
    ]
    application.refresh_from_db()
    assert (application.state, application.reference) == (ApplicationState.DRAFT, None)


def test_submission_one_microsecond_before_the_deadline_is_accepted():
    call = CallFactory()
    application, lead_admin = complete_application(call)
    just_before = call.closes_at - timedelta(microseconds=1)
    with time_machine.travel(just_before, tick=False):
        services.submit_application(application=application, actor=lead_admin)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_deadline_at_17_brussels_refuses_17_00_00():
    deadline = datetime(2026, 12, 1, 17, 0, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    with time_machine.travel(deadline - timedelta(days=1), tick=False):
        call = CallFactory(opens_at=deadline - timedelta(weeks=9), closes_at=deadline)
        application, lead_admin = complete_application(call)
    with time_machine.travel(deadline, tick=False), pytest.raises(ValidationError):
        services.submit_application(application=application, actor=lead_admin)
    with time_machine.travel(deadline - timedelta(seconds=1), tick=False):
        services.submit_application(application=application, actor=lead_admin)


def test_a_draft_stays_a_draft_after_the_deadline_and_cannot_change():
    call = CallFactory()
    application, lead_admin = complete_application(call)
    with time_machine.travel(call.closes_at + timedelta(hours=1), tick=False):
        with pytest.raises(ValidationError):
            services.save_answer(
                application=application,
                question=call.questions.first(),
                text="late",
                actor=lead_admin,
            )
        with pytest.raises(ValidationError):
            services.submit_application(application=application, actor=lead_admin)
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_editing_after_submission_makes_a_new_version_and_the_first_still_counts():
    call = CallFactory()
    application, lead_admin = complete_application(call)
    services.submit_application(application=application, actor=lead_admin)
    question = call.questions.first()
    services.save_answer(
        application=application, question=question, text="Improved answer.", actor=lead_admin
    )
    application.refresh_from_db()
    assert (application.state, application.has_unsubmitted_changes) == (
        ApplicationState.SUBMITTED,
        True,
    )
    first = application.versions.get(number=1)
    assert first.snapshot["answers"][0]["text"] == "A clear answer."
    services.submit_application(application=application, actor=lead_admin)
    latest = application.versions.latest()
    assert (latest.number, latest.snapshot["answers"][0]["text"]) == (2, "Improved answer.")
    application.refresh_from_db()
    assert application.reference.endswith("-0001")
    assert AuditEntry.objects.filter(action="calls.application.submitted").count() == 2


def test_resubmitting_without_changes_is_refused():
    application, lead_admin = complete_application()
    services.submit_application(application=application, actor=lead_admin)
    with pytest.raises(ValidationError) as error:
        services.submit_application(application=application, actor=lead_admin)
    assert error.value.messages == ["Nothing changed since the last submission."]


def test_only_lead_admins_submit():
    application, _lead_admin = complete_application()
    member = UserFactory()
    MembershipFactory(user=member, organisation=application.lead_organisation, role="member")
    with pytest.raises(PermissionDenied):
        services.submit_application(application=application, actor=member)
    partner_admin = application.members.get(is_lead=False).organisation.memberships.get().user
    with pytest.raises(PermissionDenied):
        services.submit_application(application=application, actor=partner_admin)


def test_withdraw_until_the_deadline_only():
    call = CallFactory()
    application, lead_admin = complete_application(call)
    services.submit_application(application=application, actor=lead_admin)
    with pytest.raises(ValidationError):
        services.withdraw_application(application=application, actor=lead_admin, now=call.closes_at)
    services.withdraw_application(application=application, actor=lead_admin)
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert AuditEntry.objects.filter(action="calls.application.withdrawn").count() == 1
    with pytest.raises(ValidationError):
        services.submit_application(application=application, actor=lead_admin)


def test_a_draft_cannot_be_withdrawn():
    application, lead_admin = complete_application()
    with pytest.raises(ValidationError):
        services.withdraw_application(application=application, actor=lead_admin)


def test_only_members_of_an_organisation_start_an_application():
    call = CallFactory()
    organisation = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.create_application(call=call, organisation=organisation, actor=UserFactory())
    member = UserFactory()
    MembershipFactory(user=member, organisation=organisation, role="member")
    application = services.create_application(call=call, organisation=organisation, actor=member)
    lead = application.members.get()
    assert (lead.is_lead, lead.status, lead.organisation) == (
        True,
        MemberStatus.CONFIRMED,
        organisation,
    )


def test_no_application_to_a_closed_call():
    call = CallFactory()
    member = MembershipFactory()
    with time_machine.travel(call.closes_at, tick=False), pytest.raises(ValidationError):
        services.create_application(call=call, organisation=member.organisation, actor=member.user)


def test_later_states_through_application_transition():
    staff = UserFactory(roles=["consortium-staff"])
    call = CallFactory()
    application, lead_admin = complete_application(call)
    services.submit_application(application=application, actor=lead_admin)
    with pytest.raises(ValidationError):  # still open
        services.application_transition(
            application=application, to_state=ApplicationState.ELIGIBLE, actor=staff
        )
    with time_machine.travel(call.closes_at + timedelta(seconds=1), tick=False):
        with pytest.raises(ValidationError):
            services.application_transition(
                application=application, to_state=ApplicationState.FUNDED, actor=staff
            )
        for state in (
            ApplicationState.ELIGIBLE,
            ApplicationState.UNDER_EVALUATION,
            ApplicationState.EVALUATED,
            ApplicationState.SELECTED,
            ApplicationState.FUNDED,
        ):
            services.application_transition(
                application=application, to_state=state, actor=staff, reason="ok"
            )
        with pytest.raises(ValidationError):
            services.application_transition(
                application=application, to_state=ApplicationState.WITHDRAWN, actor=staff
            )
    application.refresh_from_db()
    assert application.state == ApplicationState.FUNDED
    funded = AuditEntry.objects.filter(action="calls.application.funded").get()
    assert {key: funded.data[key] for key in ("from", "to")} == {"from": "selected", "to": "funded"}
    assert funded.notes == {"reason": "ok"}


def test_set_awarded_amount_and_funding_history():
    staff = UserFactory(roles=["consortium-staff"])
    application, _lead_admin = complete_application()
    lead = application.members.get(is_lead=True)
    with pytest.raises(ValidationError):
        services.set_awarded_amount(member=lead, amount=30000.0, actor=staff)
    with pytest.raises(ValidationError):
        services.set_awarded_amount(member=lead, amount=Decimal("60000.01"), actor=staff)
    services.set_awarded_amount(member=lead, amount=Decimal("30000.00"), actor=staff)
    assert list(funding_history(lead.organisation)) == [lead]
    assert awarded_total(lead.organisation) == Decimal("30000.00")
    assert AuditEntry.objects.filter(action="calls.member.awarded").count() == 1
