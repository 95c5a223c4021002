"""The committee's and the evaluator's POSTs go through forms (evaluation/forms_committee.py,
evaluation/forms_evaluate.py): what cannot be read is a message, never silently something else."""

import pytest
from django.urls import reverse

from calls.models import ApplicationState
from evaluation.forms_committee import OpenSessionForm, ProposeForm, Text, error_messages
from evaluation.models import AssignmentState
from evaluation.services import decision as services
from evaluation.services.consensus import open_consensus, propose_consensus
from minegap.ledger.models import AuditEntry
from tests.auth import sign_in
from tests.evaluation.decision_factories import ready_call
from tests.evaluation.factories import (
    accepted_assignment,
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)

pytestmark = pytest.mark.django_db
REASON = "The committee judged the pilot site more relevant to the aims of the call."
COMMENT = "Consensus reached after discussing the work plan together."


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_open_session_form_keeps_the_pages_messages():
    form = OpenSessionForm({"quorum": "²", "meeting_date": "2026-02-31"})
    assert error_messages(form) == [
        "The quorum must be a whole number.",
        "Enter the meeting date as YYYY-MM-DD.",
    ]
    blank = OpenSessionForm({"quorum": "", "meeting_date": ""})
    assert blank.is_valid() and blank.cleaned_data == {"quorum": None, "meeting_date": None}


def test_free_text_drops_nul_characters_instead_of_refusing_them():
    assert Text().clean("Declined\x00 by the consortium.") == "Declined by the consortium."
    form = ProposeForm({"outcome": "reserve", "reason": REASON + "\x00"})
    assert form.is_valid() and form.cleaned_data["reason"] == REASON


def test_a_reserve_position_that_is_not_a_number_changes_nothing(client, staff):
    ready = ready_call()
    session = services.open_decision_session(call=ready.call, actor=staff)
    entry = session.entries.get(application=ready.apps[1])
    before = (entry.outcome, entry.reserve_position)
    sign_in(client, staff)
    response = client.post(
        reverse("evaluation:committee-propose", args=[session.pk, entry.pk]),
        {"outcome": "reserve", "reserve_position": "²", "reason": REASON},
        follow=True,
    )
    assert _messages(response) == ["The reserve position must be a whole number from 1."]
    entry.refresh_from_db()
    assert (entry.outcome, entry.reserve_position) == before


def test_an_unknown_vote_is_the_services_message(client, staff):
    ready = ready_call()
    session = services.open_decision_session(call=ready.call, actor=staff)
    sign_in(client, ready.committee[0])
    response = client.post(
        reverse("evaluation:committee-vote", args=[session.pk]), {"choice": "maybe"}, follow=True
    )
    assert _messages(response) == ["Vote for, against, or abstain."]


def test_an_unknown_action_on_the_evaluators_page_is_a_message(client):
    call = closed_call()
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    user = evaluator()
    assignment = accepted_assignment(application, user)
    sign_in(client, user)
    url = reverse("evaluation:assignment", args=[assignment.pk])
    response = client.post(url, {"action": "dance"}, follow=True)
    assert _messages(response) == ["Unknown action."]
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED


def test_a_consensus_answer_says_yes_or_no(client, staff):
    call = closed_call()
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    a = scored_assignment(
        application, evaluator(), {"Excellence": "5", "Impact": "4", "Implementation": "4"}
    )
    b = scored_assignment(
        application, evaluator(), {"Excellence": "2.5", "Impact": "4", "Implementation": "4"}
    )
    consensus = open_consensus(application=application, rapporteur=a.evaluator, actor=staff)
    propose_consensus(
        consensus=consensus,
        actor=a.evaluator,
        scores={c.pk: ("4", COMMENT) for c in call.criteria.all()},
        comment="Agreed in a call.",
    )
    sign_in(client, b.evaluator)
    url = reverse("evaluation:assignment", args=[b.pk])
    response = client.post(url, {"action": "consensus_answer", "comment": "?"}, follow=True)
    assert _messages(response) == ["Say whether you agree."]
    assert not AuditEntry.objects.filter(action="evaluation.consensus.answered").exists()
