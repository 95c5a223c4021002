"""Issue #5's whole journey in one browser: staff check eligibility and run the assignment; two
evaluators declare no conflict, score and submit; their divergent pair goes to consensus; the
committee adopts the decision; staff publish the results; the applicant downloads the Evaluation
Summary Report; the public decisions page shows the decision's hash."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts import roles
from calls.models import ApplicationState
from evaluation.models import DecisionSession, DecisionState, EvaluationSummaryReport
from tests.e2e.test_evaluation_journey import settle_by_consensus, sign_in
from tests.evaluation.conftest import with_mfa
from tests.evaluation.factories import closed_call, evaluator, submitted_application
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
JUSTIFICATION = "Clear objectives, a credible pilot site and a partner with the right skills."


def score(page, application, values: dict[str, str]) -> None:
    page.goto("/evaluate/")
    page.get_by_role("link", name=application.reference).click()
    page.get_by_role("button", name="I have no conflict of interest").click()
    for criterion in application.call.criteria.all():
        page.locator(f"#score-{criterion.pk}").fill(values.get(criterion.name, "4"))
        page.locator(f"#justification-{criterion.pk}").fill(JUSTIFICATION)
    page.get_by_role("button", name="Submit scores").click()
    expect(page.get_by_text("Submitted and locked")).to_be_visible()


def test_from_eligibility_to_the_published_decision(page, live_server):
    staff = with_mfa(UserFactory(roles=[roles.STAFF]))
    call = closed_call(evaluators_per_proposal=2, total_budget=Decimal("100000.00"))
    steady = submitted_application(call, title="Tailings water recycling")
    divergent = submitted_application(call, title="Drone survey of open pits")
    applicant = UserFactory()
    MembershipFactory(user=applicant, organisation=steady.lead_organisation)
    rita = evaluator(country="DE", full_name="Rita Rapporteur")
    otto = evaluator(country="IT", full_name="Otto Other")
    committee = [
        with_mfa(UserFactory(roles=[roles.COMMITTEE], full_name=f"Member {i}")) for i in range(3)
    ]
    page.on("dialog", lambda dialog: dialog.accept())

    # Eligibility and the assignment.
    sign_in(page, live_server, staff)
    page.goto(f"/manage/calls/{call.slug}/eligibility/")
    page.get_by_role("button", name="Run automatic checks").click()
    expect(page.get_by_text("Automatic checks computed for 2 applications.")).to_be_visible()
    for application in (steady, divergent):
        page.goto(f"/manage/calls/{call.slug}/eligibility/")
        page.get_by_role("link", name=application.reference).click()
        page.get_by_label("Eligible", exact=True).check()
        page.get_by_label("Reason").fill(
            "Answers and work plan were sent by post before the deadline."
        )
        page.get_by_role("button", name="Record the decision").click()
        expect(
            page.get_by_text(f"Eligibility of {application.reference} recorded.")
        ).to_be_visible()
    page.goto(f"/manage/calls/{call.slug}/assignments/")
    page.get_by_role("button", name="Run the automatic assignment").click()
    expect(page.get_by_text("4 assignments made")).to_be_visible()

    # Both evaluators score both proposals; they disagree on the second's Excellence.
    sign_in(page, live_server, rita)
    score(page, steady, {})
    score(page, divergent, {"Excellence": "5"})
    sign_in(page, live_server, otto)
    score(page, steady, {"Impact": "4.5"})
    score(page, divergent, {"Excellence": "2"})

    # The divergent pair goes to consensus.
    settle_by_consensus(page, live_server, staff, divergent, rita, otto)

    # Staff close the evaluation and open the committee's session from the ranking.
    sign_in(page, live_server, staff)
    page.goto(f"/manage/calls/{call.slug}/scores/")
    page.get_by_role("button", name="Mark complete applications as evaluated").click()
    steady.refresh_from_db()
    divergent.refresh_from_db()
    assert {steady.state, divergent.state} == {ApplicationState.EVALUATED}
    page.goto(f"/manage/calls/{call.slug}/ranking/")
    page.get_by_role("button", name="Open a decision session").click()
    expect(page.get_by_text("Decision session opened.")).to_be_visible()
    for member in committee:
        page.get_by_label(member.full_name).check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Attendance recorded.")).to_be_visible()
    page.get_by_role("button", name="Open the vote").click()
    expect(page.get_by_text("Voting is open.")).to_be_visible()
    session_url = page.url

    # The committee votes; staff close the vote and the decision is adopted.
    for member in committee:
        sign_in(page, live_server, member)
        page.goto(session_url)
        page.get_by_label("For", exact=True).check()
        page.get_by_role("button", name="Vote", exact=True).click()
        expect(page.get_by_text("Your vote is recorded.")).to_be_visible()
    sign_in(page, live_server, staff)
    page.goto(session_url)
    page.get_by_role("button", name="Close the vote").click()
    expect(page.get_by_text("The decision is adopted.")).to_be_visible()
    session = DecisionSession.objects.get()
    assert session.state == DecisionState.ADOPTED
    steady.refresh_from_db()
    assert steady.state == ApplicationState.SELECTED

    # Staff publish the results: each applicant's ESR is rendered and e-mailed.
    page.goto(f"/manage/calls/{call.slug}/results/")
    page.get_by_role("button", name="Publish the results").click()
    expect(page.get_by_text("2 of 2 generated, 2 e-mailed")).to_be_visible()

    # The applicant downloads the ESR from the dashboard.
    sign_in(page, live_server, applicant)
    page.goto("/apply/")
    page.get_by_role("link", name="Results and evaluation summary report").click()
    link = page.get_by_role("link", name="Download the Evaluation Summary Report (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    report = EvaluationSummaryReport.objects.get(application=steady)
    assert report.pdf.read() == response.body()

    # Anyone sees the decision's hash on the public site.
    page.context.clear_cookies()
    page.goto("/decisions/")
    expect(page.get_by_text(session.content_hash)).to_be_visible()
