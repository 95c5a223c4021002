"""Browser journey of the evaluation: staff check eligibility and run the assignment; an
evaluator declares no conflict, scores and submits."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts import roles
from calls.models import ApplicationState
from evaluation.models import Assignment, AssignmentState
from tests import auth
from tests.evaluation.conftest import with_mfa
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
JUSTIFICATION = "Clear objectives, a credible pilot site and a partner with the right skills."


def sign_in(page, live_server, user) -> None:
    """Reuse a server-side session instead of typing passwords (and TOTP codes)."""
    client = auth.sign_in(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def settle_by_consensus(page, live_server, staff, application, rapporteur, other) -> None:
    """Staff open a consensus step on a divergent application; the rapporteur proposes 4 on
    every criterion; the other evaluator agrees."""
    call = application.call
    sign_in(page, live_server, staff)
    page.goto(f"/manage/calls/{call.slug}/scores/")
    expect(page.get_by_text("Divergent", exact=True)).to_be_visible()
    page.get_by_label("Rapporteur").select_option(label=rapporteur.full_name)
    page.get_by_role("button", name="Open a consensus step").click()
    expect(page.get_by_text("Consensus step opened.")).to_be_visible()

    sign_in(page, live_server, rapporteur)
    page.goto("/evaluate/")
    page.get_by_role("link", name=application.reference).click()
    for criterion in call.criteria.all():
        page.locator(f"#cs-{criterion.pk}").fill("4")
        page.locator(f"#cc-{criterion.pk}").fill("Agreed after a call: solid plan, fair novelty.")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("Consensus proposed to the other evaluators.")).to_be_visible()

    sign_in(page, live_server, other)
    page.goto("/evaluate/")
    page.get_by_role("link", name=application.reference).click()
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Answer").click()
    expect(page.get_by_text("Answer recorded.")).to_be_visible()


def test_staff_check_and_assign_then_an_evaluator_scores(page, live_server):
    staff = with_mfa(UserFactory(roles=[roles.STAFF]))
    call = closed_call(evaluators_per_proposal=2)
    application = submitted_application(call)
    first = evaluator(country="SE", full_name="Eva Evaluator")
    evaluator(country="DE")
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, live_server, staff)
    page.goto(f"/manage/calls/{call.slug}/eligibility/")
    page.get_by_role("button", name="Run automatic checks").click()
    expect(page.get_by_text("Automatic checks computed for 1 application.")).to_be_visible()
    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_role("row", name="Complete Failed")).to_be_visible()
    page.get_by_label("Eligible", exact=True).check()
    page.get_by_label("Reason").fill("Answers and work plan were sent by post before the deadline.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Eligibility of {application.reference} recorded.")).to_be_visible()

    page.goto(f"/manage/calls/{call.slug}/assignments/")
    page.get_by_role("button", name="Run the automatic assignment").click()
    expect(page.get_by_text("2 assignments made")).to_be_visible()

    sign_in(page, live_server, first)
    page.goto("/evaluate/")
    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_text("Sensor-driven ore sorting")).to_have_count(0)
    page.get_by_role("button", name="I have no conflict of interest").click()
    expect(page.get_by_role("heading", name="Proposal")).to_be_visible()
    for criterion in call.criteria.all():
        page.locator(f"#score-{criterion.pk}").fill("4")
        page.locator(f"#justification-{criterion.pk}").fill(JUSTIFICATION)
    page.get_by_role("button", name="Submit scores").click()
    expect(page.get_by_text("Submitted and locked")).to_be_visible()
    assignment = Assignment.objects.get(application=application, evaluator=first)
    assert (assignment.state, assignment.scores.count()) == (AssignmentState.SCORED, 3)


def test_a_divergent_pair_goes_to_consensus_and_into_the_ranking(page, live_server):
    staff = with_mfa(UserFactory(roles=[roles.STAFF]))
    call = closed_call()
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    rapporteur = evaluator(full_name="Rita Rapporteur")
    other = evaluator(full_name="Otto Other")
    for user, excellence in ((rapporteur, "5"), (other, "2")):
        scored = scored_assignment(
            application, user, {"Excellence": "4", "Impact": "4", "Implementation": "4"}
        )
        scored.scores.filter(criterion__name="Excellence").update(value=excellence)
    page.on("dialog", lambda dialog: dialog.accept())

    settle_by_consensus(page, live_server, staff, application, rapporteur, other)

    sign_in(page, live_server, staff)
    page.goto(f"/manage/calls/{call.slug}/ranking/")
    expect(page.get_by_role("row", name=re.compile(application.reference))).to_contain_text("Fund")
