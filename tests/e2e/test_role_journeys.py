"""One journey per role, from the home page, by clicking only: each page it reaches has no
critical or serious axe-core violation at 1280x800 and 390x844; dashboards are photographed."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from accounts import roles
from calls.models import ApplicationState
from evaluation.models import Assignment, AssignmentState, DecisionVote
from evaluation.services import decision
from tests.e2e.journey import Journey, enrol_totp
from tests.evaluation.conftest import with_mfa
from tests.evaluation.decision_factories import ready_call
from tests.evaluation.factories import closed_call, evaluator, submitted_application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
JUSTIFICATION = "Clear objectives, a credible pilot site and a partner with the right skills."


def with_known_totp(user):
    """A verified address (allauth lets no one in without) and a TOTP secret the test knows."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    Authenticator.objects.filter(user=user).delete()
    return enrol_totp(user)


def test_an_evaluator_reaches_a_submitted_score(page):
    call = closed_call()
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    person = with_known_totp(evaluator(full_name="Eva Evaluator"))
    Assignment.objects.create(application=application, evaluator=person)
    journey = Journey(page, "evaluator")

    journey.start()
    journey.sign_in(person)
    journey.screenshot("dashboard")
    journey.click(page.get_by_role("link", name=application.reference))
    journey.click(page.get_by_role("button", name="I have no conflict of interest"))
    for criterion in call.criteria.all():
        page.locator(f"#score-{criterion.pk}").fill("4")
        page.locator(f"#justification-{criterion.pk}").fill(JUSTIFICATION)
    page.once("dialog", lambda dialog: dialog.accept())
    journey.click(page.get_by_role("button", name="Submit scores"))
    journey.reauthenticate_if_asked(person)
    expect(page.get_by_text("Submitted and locked")).to_be_visible()

    assignment = Assignment.objects.get(application=application, evaluator=person)
    assert (assignment.state, assignment.scores.count()) == (AssignmentState.SCORED, 3)


def test_a_committee_member_reaches_a_cast_vote(page):
    ready = ready_call(count=3)
    staff = with_mfa(UserFactory(roles=[roles.STAFF]))
    session = decision.open_decision_session(call=ready.call, actor=staff)
    decision.record_attendance(session=session, actor=staff, present=ready.committee)
    decision.open_voting(session=session, actor=staff)
    member = with_known_totp(ready.committee[0])
    journey = Journey(page, "committee")

    journey.start()
    journey.sign_in(member)
    journey.screenshot("dashboard")
    journey.click(page.get_by_role("link", name="Next: cast your vote"))
    page.get_by_label("For", exact=True).check()
    page.once("dialog", lambda dialog: dialog.accept())
    journey.click(page.get_by_role("button", name="Vote", exact=True))
    journey.reauthenticate_if_asked(member)
    expect(page.get_by_text("Your vote is recorded.")).to_be_visible()

    assert DecisionVote.objects.get(session=session, member=member).choice == "for"
