"""Each role's home shows its real work, each item with its next step and a link to it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from calls.models import ApplicationState
from evaluation.models import Assignment, AssignmentState
from evaluation.services import decision as evaluation_services
from tests.auth import sign_in
from tests.calls.factories import CallFactory, complete_application
from tests.evaluation.decision_factories import ready_call
from tests.evaluation.factories import (
    accepted_assignment,
    closed_call,
    evaluator,
    submitted_application,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.vouchers.factories import (
    active_voucher,
    approved_instalment,
    selected_application,
    staff_user,
)
from vouchers import services as voucher_services

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def dashboard(client, user) -> str:
    sign_in(client, user)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_applicant_sees_a_draft_with_its_deadline_and_next_step(client):
    call = CallFactory(
        opens_at=timezone.now() - timedelta(days=10), closes_at=timezone.now() + timedelta(days=3)
    )
    application, lead_admin = complete_application(call)

    html = dashboard(client, lead_admin)

    panel = html.split('id="my-applications-heading"', 1)[1].split("</section>", 1)[0]
    assert f'href="/apply/applications/{application.pk}/"' in panel
    assert "Next: complete and submit it before the deadline." in text(panel)
    # The organisation's card does not send someone with a draft to find a call.
    assert "find an open call and apply" not in text(html)
    assert "Next: Next:" not in html
    assert "left" in text(panel) and "(Europe/Brussels)" in text(panel)
    assert "will appear here" not in html


def test_an_applicant_without_applications_is_told_how_to_start(client):
    user = UserFactory()
    user.memberships.create(organisation=OrganisationFactory(), role="admin")

    html = text(dashboard(client, user))

    assert "No application yet. Find an open call, then start an application" in html


def test_an_evaluator_sees_what_to_declare_and_what_to_score(client):
    call = closed_call()
    expert = evaluator()
    first, second, third = (submitted_application(call) for _ in range(3))
    Assignment.objects.create(application=first, evaluator=expert, state=AssignmentState.PROPOSED)
    Assignment.objects.create(application=second, evaluator=expert, state=AssignmentState.PROPOSED)
    accepted = accepted_assignment(third, expert)

    html = text(dashboard(client, expert))

    assert "2 proposals to declare conflicts for" in html
    assert "1 proposal to score" in html
    assert "No proposal is assigned to you yet" not in html
    assert f'href="/evaluate/assignments/{accepted.pk}/"' in dashboard(client, expert)


def test_an_evaluator_without_a_signed_declaration_is_asked_to_sign_it(client):
    html = text(dashboard(client, evaluator(declared=False)))

    assert "Next: sign the declaration of confidentiality and absence of conflicts" in html
    assert "No proposal is assigned to you yet." in html


def test_a_committee_member_is_told_to_vote_only_when_present_and_voting_is_open(client):
    ready = ready_call()
    staff = UserFactory(roles=[roles.STAFF])
    session = evaluation_services.open_decision_session(call=ready.call, actor=staff)
    present, absent = ready.committee[:2], ready.committee[2]

    assert "The lists are being prepared" in text(dashboard(client, present[0]))

    evaluation_services.record_attendance(session=session, actor=staff, present=present)
    evaluation_services.open_voting(session=session, actor=staff)

    assert "Next: cast your vote" in text(dashboard(client, present[0]))
    assert "you are not recorded as present" in text(dashboard(client, absent))

    evaluation_services.cast_vote(session=session, member=present[0], choice="for")
    assert "You have voted." in text(dashboard(client, present[0]))


def test_staff_see_eligibility_to_decide_and_payments_waiting_for_them(client):
    call = closed_call()
    submitted_application(call)
    submitted_application(call)
    submitted_application(call, state=ApplicationState.ELIGIBLE)
    requester, approver = staff_user(), staff_user()
    consortium = selected_application()
    voucher = active_voucher(consortium, requester)
    voucher_services.request_payment(
        instalment=voucher.instalments.get(sequence=1), actor=requester
    )

    approver_home = text(dashboard(client, approver))
    requester_home = text(dashboard(client, requester))

    assert f"{call.title}" in approver_home
    assert "2 eligibility checks to decide" in approver_home
    assert "1 payment request waits for your approval" in approver_home
    assert "1 payment request waits for your approval" not in requester_home
    assert "1 request you made waits for another staff member's approval" in requester_home
    assert "approved instalment waits for its payment to be recorded" not in approver_home


def test_staff_see_approved_instalments_whose_payment_is_not_recorded(client):
    requester, approver = staff_user(), staff_user()
    voucher = active_voucher(selected_application(), requester)
    approved_instalment(voucher, requester, approver)

    home = text(dashboard(client, requester))

    assert "1 approved instalment waits for its payment to be recorded" in home
    assert f"{voucher.agreement_number} instalment 1" in home


def test_a_beneficiary_admin_is_asked_to_sign_a_drafted_voucher(client):
    consortium = selected_application()
    voucher_services.draft_voucher(application=consortium.application, actor=staff_user())

    html = text(dashboard(client, consortium.admins[0]))

    # Both the voucher and the application it funds say it.
    assert html.count("Next: sign the voucher agreement.") == 2
    assert "Next: Next:" not in html
