"""Staff pages of a call past a stage show that stage's record, and offer an action only when
the rule the service checks allows it now (otherwise the page says why, in the service's words).
"""

import pytest
from django.urls import reverse

from calls.models import ApplicationState
from calls.services import application_transition
from evaluation.services.eligibility import decide_eligibility, run_eligibility_checks
from tests.evaluation.decision_factories import adopt, ready_call
from tests.evaluation.factories import closed_call, submitted_application

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_eligibility_of_a_call_under_evaluation_shows_the_decisions_not_an_empty_list(
    staff, staff_client
):
    call = closed_call()
    application = submitted_application(call)
    run_eligibility_checks(call=call, actor=staff)
    decide_eligibility(
        application=application,
        actor=staff,
        decision="eligible",
        reason="Checked against the paper declarations.",
    )
    application_transition(
        application=application,
        to_state=ApplicationState.UNDER_EVALUATION,
        actor=staff,
        reason="Evaluators assigned.",
    )
    url = reverse("evaluation:eligibility", args=[call.slug])
    page = staff_client.get(url).content.decode()
    assert "No submitted application matches." not in page
    assert reverse("evaluation:eligibility-detail", args=[call.slug, application.pk]) in page
    assert application.reference in page
    assert "Run automatic checks" not in page
    assert "No submitted application waits for an eligibility decision." in page
    detail = staff_client.get(
        reverse("evaluation:eligibility-detail", args=[call.slug, application.pk])
    )
    assert detail.status_code == 200
    assert "Checked against the paper declarations." in detail.content.decode()
    # The service refuses with the line the page showed.
    response = staff_client.post(url, follow=True)
    assert _messages(response) == ["No submitted application waits for an eligibility decision."]


def test_eligibility_checks_are_offered_while_an_application_waits(staff_client):
    call = closed_call()
    submitted_application(call)
    page = staff_client.get(reverse("evaluation:eligibility", args=[call.slug])).content.decode()
    assert "Run automatic checks" in page
    assert "No submitted application waits" not in page


def test_assignments_of_a_decided_call_show_who_evaluated_and_no_action(staff, staff_client):
    ready = ready_call()
    adopt(ready, staff)
    url = reverse("evaluation:assignments", args=[ready.call.slug])
    page = staff_client.get(url).content.decode()
    assert "decide eligibility first" not in page
    for application in ready.apps:
        assert application.reference in page
        for assignment in application.assignments.all():
            assert assignment.evaluator.full_name in page
    assert "Run the automatic assignment" not in page
    assert "Reopen scores" not in page
    assert reverse("evaluation:assignment-add", args=[ready.call.slug]) not in page
    assert "The evaluation of this call is over: no application waits for evaluators." in page
    assert (
        "The committee&#x27;s decision on this call is adopted: its scores can no longer change."
        in page
    )
    staff_client.post(url)
    page = staff_client.get(url).content.decode()
    assert (
        "<li>The evaluation of this call is over: no application waits for evaluators.</li>" in page
    )


def test_ranking_of_a_decided_call_offers_no_session_and_says_why(staff, staff_client):
    ready = ready_call()
    url = reverse("evaluation:ranking", args=[ready.call.slug])
    open_url = reverse("evaluation:committee-open", args=[ready.call.slug])
    assert open_url in staff_client.get(url).content.decode()
    adopt(ready, staff)
    page = staff_client.get(url).content.decode()
    assert open_url not in page
    assert "The committee has already adopted a decision on this call." in page
    response = staff_client.post(open_url, follow=True)
    assert _messages(response) == ["The committee has already adopted a decision on this call."]


def test_the_committee_page_says_why_no_session_opens_on_an_incomplete_ranking(staff_client):
    call = closed_call()
    submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    page = staff_client.get(reverse("evaluation:committee")).content.decode()
    assert reverse("evaluation:committee-open", args=[call.slug]) not in page
    assert f"The ranking is not complete: {call.code}-0001 still pending." in page


def test_a_decided_call_offers_no_deadline_extension(staff, staff_client):
    ready = ready_call()
    adopt(ready, staff)
    page = staff_client.get(reverse("calls:manage-detail", args=[ready.call.slug]))
    html = page.content.decode()
    assert reverse("calls:manage-extend", args=[ready.call.slug]) not in html
    refusal = (
        "The deadline can no longer be extended: the call is “Decided”; it moves only while "
        "the call is published or open."
    )
    assert refusal in html
    response = staff_client.post(
        reverse("calls:manage-extend", args=[ready.call.slug]),
        {"closes_at": "2099-01-01T10:00"},
    )
    assert response.status_code == 400
    assert refusal in response.content.decode()
