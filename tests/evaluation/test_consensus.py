"""Divergence and consensus: flagged per the call's rule, settled by a rapporteur's proposal."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from calls.models import ApplicationState
from evaluation.models import ConsensusState
from evaluation.results import call_results
from evaluation.services.consensus import answer_consensus, open_consensus, propose_consensus
from minegap.ledger.models import AuditEntry
from tests.auth import sign_in
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)
from tests.evaluation.test_call_tabs import TAB_BAR_QUERIES

pytestmark = pytest.mark.django_db
COMMENT = "Consensus reached after discussing the work plan together."


def _divergent():
    call = closed_call()
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    a = scored_assignment(
        application, evaluator(), {"Excellence": "5", "Impact": "4", "Implementation": "4"}
    )
    b = scored_assignment(
        application, evaluator(), {"Excellence": "2.5", "Impact": "4", "Implementation": "4"}
    )
    return call, application, a.evaluator, b.evaluator


def test_divergence_follows_the_calls_rule():
    call, _application, _a, _b = _divergent()
    (result,) = call_results(call)
    assert (result.divergence.divergent, result.complete, result.final) == (True, False, {})
    (reason,) = result.divergence.reasons
    assert (reason.criterion, reason.gap) == ("excellence", Decimal("2.5"))
    call.divergence_points = Decimal("3")
    call.save()
    (result,) = call_results(call)
    assert (result.divergence.divergent, result.complete) == (False, True)
    assert result.final == {
        "excellence": Decimal("3.75"),
        "impact": Decimal("4.00"),
        "implementation": Decimal("4.00"),
    }


def test_final_scores_are_the_mean_rounded_half_up():
    call = closed_call()
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    for value in ("4", "4.5", "4.5"):
        scored_assignment(
            application, evaluator(), {"Excellence": value, "Impact": "4", "Implementation": "4"}
        )
    (result,) = call_results(call)
    assert result.final["excellence"] == Decimal("4.33")


def test_consensus_step_from_opening_to_conclusion(staff):
    call, application, rapporteur, other = _divergent()
    with pytest.raises(ValidationError):
        open_consensus(application=application, rapporteur=evaluator(), actor=staff)
    consensus = open_consensus(application=application, rapporteur=rapporteur, actor=staff)
    criteria = {c.name: c.pk for c in call.criteria.all()}
    with pytest.raises(PermissionDenied):
        propose_consensus(consensus=consensus, actor=other, scores={})
    with pytest.raises(ValidationError):
        answer_consensus(consensus=consensus, actor=other, agreed=True)
    propose_consensus(
        consensus=consensus,
        actor=rapporteur,
        scores={
            criteria["Excellence"]: ("4", COMMENT),
            criteria["Impact"]: ("4", COMMENT),
            criteria["Implementation"]: ("3.5", COMMENT),
        },
    )
    with pytest.raises(ValidationError):
        answer_consensus(consensus=consensus, actor=other, agreed=False)
    with pytest.raises(PermissionDenied):
        answer_consensus(consensus=consensus, actor=evaluator(), agreed=True)
    consensus = answer_consensus(consensus=consensus, actor=other, agreed=True)
    assert consensus.state == ConsensusState.CONCLUDED
    (result,) = call_results(call)
    assert (result.complete, result.final) == (
        True,
        {
            "excellence": Decimal("4.00"),
            "impact": Decimal("4.00"),
            "implementation": Decimal("3.50"),
        },
    )
    assert list(
        AuditEntry.objects.filter(action__startswith="evaluation.consensus.")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == [
        "evaluation.consensus.opened",
        "evaluation.consensus.proposed",
        "evaluation.consensus.answered",
    ]


def test_no_consensus_without_divergence(staff):
    call = closed_call()
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    first = scored_assignment(
        application, evaluator(), {"Excellence": "4", "Impact": "4", "Implementation": "4"}
    )
    scored_assignment(
        application, evaluator(), {"Excellence": "4", "Impact": "4", "Implementation": "4"}
    )
    with pytest.raises(ValidationError):
        open_consensus(application=application, rapporteur=first.evaluator, actor=staff)


def test_consensus_through_the_pages(staff_client, client):
    call, application, rapporteur, other = _divergent()
    scores_url = reverse("evaluation:scores", args=[call.slug])
    page = staff_client.get(scores_url).content.decode()
    assert "excellence: 2.5 to 5.0 (gap 2.5, allowed 2.00)" in page
    staff_client.post(scores_url, {"application": application.pk, "rapporteur": rapporteur.pk})
    sign_in(client, rapporteur)
    mine = rapporteur.assignments.get()
    url = reverse("evaluation:assignment", args=[mine.pk])
    data = {"action": "consensus_propose", "comment": "Agreed in a call."}
    for criterion in call.criteria.all():
        data[f"consensus-score-{criterion.pk}"] = "4"
        data[f"consensus-comment-{criterion.pk}"] = COMMENT
    assert client.post(url, data).status_code == 302
    sign_in(client, other)
    url = reverse("evaluation:assignment", args=[other.assignments.get().pk])
    page = client.get(url).content.decode()
    assert "Do you agree?" in page
    client.post(url, {"action": "consensus_answer", "agreed": "yes"})
    application.consensus.refresh_from_db()
    assert application.consensus.state == ConsensusState.CONCLUDED


def test_complete_applications_are_marked_evaluated(staff_client):
    call, divergent, _rapporteur, _other = _divergent()
    agreed = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    for _ in range(2):
        scored_assignment(
            agreed, evaluator(), {"Excellence": "4", "Impact": "4", "Implementation": "4"}
        )
    response = staff_client.post(
        reverse("evaluation:scores", args=[call.slug]), {"action": "mark_evaluated"}
    )
    assert response.status_code == 302
    divergent.refresh_from_db()
    agreed.refresh_from_db()
    assert (divergent.state, agreed.state) == (
        ApplicationState.UNDER_EVALUATION,
        ApplicationState.EVALUATED,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_scores_page_query_count(staff_client, django_assert_num_queries, count):
    call = closed_call()
    for _ in range(count):
        application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
        for value in ("5", "2.5"):
            scored_assignment(
                application,
                evaluator(),
                {"Excellence": value, "Impact": "4", "Implementation": "4"},
            )
    url = reverse("evaluation:scores", args=[call.slug])
    staff_client.get(url)
    with django_assert_num_queries(QUERIES):
        response = staff_client.get(url)
    assert response.content.decode().count("Open a consensus step</button>") == count


# 19 until the means were summed from the sheets already read (the criteria and the sums
# were read again): issue #15.
# 14 + TAB_BAR_QUERIES until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
QUERIES = 11 + TAB_BAR_QUERIES


def test_scores_page_answers_bad_input_without_a_server_error(staff_client):
    call, application, _rapporteur, _other = _divergent()
    url = reverse("evaluation:scores", args=[call.slug])
    assert staff_client.post(url, {"application": "abc"}).status_code == 404
    response = staff_client.post(url, {"application": application.pk, "rapporteur": "x"})
    assert (response.status_code, response.url) == (302, url)
    assert "Choose the rapporteur." in staff_client.get(url).content.decode()


def test_a_non_ascii_digit_as_an_id_is_a_404_not_a_500(client, staff):
    call = closed_call()
    sign_in(client, staff)
    url = reverse("evaluation:scores", args=[call.slug])
    assert client.post(url, {"application": "²", "rapporteur": "1"}).status_code == 404


def test_opening_a_consensus_for_another_calls_application_is_a_404(staff_client):
    call, _application, rapporteur, _other = _divergent()
    elsewhere = submitted_application(closed_call())
    url = reverse("evaluation:scores", args=[call.slug])

    response = staff_client.post(url, {"application": elsewhere.pk, "rapporteur": rapporteur.pk})

    assert response.status_code == 404
