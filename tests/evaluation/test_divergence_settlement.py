"""How a call settles a divergence: a consensus meeting, an additional evaluator whose opinion
sets the final scores by the call's rule (two closest, median), or either; shown on the scores
page and applied in the ranking and the ESR."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from calls.models import ApplicationState, DivergenceSettlement, ExtraEvaluatorRule
from evaluation import esr
from evaluation.results import call_ranking, call_results
from evaluation.services.consensus import open_consensus
from evaluation.services.scoring import mark_evaluated
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)

pytestmark = pytest.mark.django_db
D = Decimal


def _call(settlement, rule=""):
    return closed_call(
        evaluators_per_proposal=2, divergence_settlement=settlement, extra_evaluator_rule=rule
    )


def _sheet(excellence, impact="4", implementation="4"):
    return {"Excellence": excellence, "Impact": impact, "Implementation": implementation}


def _divergent(call):
    """Two evaluators (the call's panel): Excellence 5 and 2, 3 points apart (2 allowed)."""
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    first = scored_assignment(application, evaluator(), _sheet("5"))
    scored_assignment(application, evaluator(), _sheet("2", impact="3.5"))
    return application, first.evaluator


def _result(call):
    (result,) = call_results(call)
    return (result.divergent, result.complete, result.settled_by, result.final)


@pytest.mark.parametrize(
    ("rule", "excellence"),
    [
        # Excellence 2, 4.5, 5: the two closest are 4.5 and 5; the median is 4.5. Impact 3.5,
        # 4, 4 gives 4 both ways (the two closest are 4 and 4).
        (ExtraEvaluatorRule.TWO_CLOSEST, D("4.75")),
        (ExtraEvaluatorRule.MEDIAN, D("4.50")),
    ],
)
def test_an_additional_evaluator_settles_the_divergence_by_the_calls_rule(staff, rule, excellence):
    call = _call(DivergenceSettlement.EXTRA_EVALUATOR, rule)
    application, _first = _divergent(call)
    assert _result(call) == (True, False, None, {})

    scored_assignment(application, evaluator(), _sheet("4.5"))

    # Still divergent (2 and 5 remain 3 apart): the rule, not the gap, settles it.
    expected = {"excellence": excellence, "impact": D("4.00"), "implementation": D("4.00")}
    assert _result(call) == (True, True, "extra_evaluator", expected)
    (row,), pending = call_ranking(call)
    assert (pending, row.ranked.scores) == ([], expected)
    assert mark_evaluated(call=call, actor=staff) == 1


def test_with_consensus_only_a_third_opinion_changes_nothing():
    call = _call(DivergenceSettlement.CONSENSUS)
    application, _first = _divergent(call)
    scored_assignment(application, evaluator(), _sheet("4.5"))
    assert _result(call) == (True, False, None, {})
    rows, (pending,) = call_ranking(call)
    assert (rows, pending.application.pk) == ([], application.pk)


def test_the_additional_evaluator_is_one_beyond_the_calls_panel():
    call = _call(DivergenceSettlement.EXTRA_EVALUATOR, ExtraEvaluatorRule.MEDIAN)
    call.evaluators_per_proposal = 3
    call.save()
    application, _first = _divergent(call)
    scored_assignment(application, evaluator(), _sheet("4.5"))
    # Three evaluations make the panel of three, not an additional opinion.
    (result,) = call_results(call)
    assert (result.complete, result.settling_count) == (False, 4)
    scored_assignment(application, evaluator(), _sheet("4"))
    # 2, 4, 4.5, 5: the median is 4.25; Impact 3.5, 4, 4, 4: 4.
    assert _result(call) == (
        True,
        True,
        "extra_evaluator",
        {"excellence": D("4.25"), "impact": D("4.00"), "implementation": D("4.00")},
    )


def test_either_way_a_consensus_once_opened_is_how_it_is_settled(staff):
    call = _call(DivergenceSettlement.EITHER, ExtraEvaluatorRule.MEDIAN)
    application, rapporteur = _divergent(call)
    open_consensus(application=application, rapporteur=rapporteur, actor=staff)
    scored_assignment(application, evaluator(), _sheet("4.5"))
    assert _result(call) == (True, False, None, {})


def test_either_way_an_additional_evaluator_settles_without_a_consensus():
    call = _call(DivergenceSettlement.EITHER, ExtraEvaluatorRule.MEDIAN)
    application, _rapporteur = _divergent(call)
    scored_assignment(application, evaluator(), _sheet("4.5"))
    assert _result(call)[:3] == (True, True, "extra_evaluator")


def test_no_consensus_step_where_the_call_does_not_settle_by_consensus(staff):
    call = _call(DivergenceSettlement.EXTRA_EVALUATOR, ExtraEvaluatorRule.MEDIAN)
    application, rapporteur = _divergent(call)
    with pytest.raises(ValidationError) as error:
        open_consensus(application=application, rapporteur=rapporteur, actor=staff)
    assert error.value.messages == [
        "This call settles divergences with an additional evaluator, not by consensus."
    ]


def test_no_consensus_step_once_an_additional_evaluator_settled_it(staff):
    call = _call(DivergenceSettlement.EITHER, ExtraEvaluatorRule.TWO_CLOSEST)
    application, rapporteur = _divergent(call)
    scored_assignment(application, evaluator(), _sheet("4.5"))
    with pytest.raises(ValidationError) as error:
        open_consensus(application=application, rapporteur=rapporteur, actor=staff)
    assert error.value.messages == ["An additional evaluator already settled this divergence."]


def test_the_scores_page_states_the_rule_and_what_each_divergence_needs(staff_client):
    call = _call(DivergenceSettlement.EXTRA_EVALUATOR, ExtraEvaluatorRule.MEDIAN)
    waiting, _first = _divergent(call)
    settled, _first = _divergent(call)
    scored_assignment(settled, evaluator(), _sheet("4.5"))
    url = reverse("evaluation:scores", args=[call.slug])

    page = staff_client.get(url).content.decode()

    assert (
        page.count(
            "A divergence is settled by an additional evaluator: the final score of each criterion "
            "is then the median of the scores given by all the evaluators."
        )
        == 1
    )
    assert page.count("Settled once 3 evaluators have submitted: assign an additional one.") == 1
    assert page.count("Settled by an additional evaluator: the median of the scores") == 1
    assert "Open a consensus step" not in page
    assert (waiting.reference in page, settled.reference in page) == (True, True)


def test_the_scores_page_offers_both_ways_when_the_call_allows_both(staff_client):
    call = _call(DivergenceSettlement.EITHER, ExtraEvaluatorRule.TWO_CLOSEST)
    _divergent(call)
    page = staff_client.get(reverse("evaluation:scores", args=[call.slug])).content.decode()
    assert (
        page.count(
            "A divergence is settled by a consensus meeting of the evaluators, whose agreed scores "
            "are final, or by an additional evaluator: the final score of each criterion is then "
            "the mean of the two closest scores given by all the evaluators."
        )
        == 1
    )
    assert page.count("Open a consensus step</button>") == 1
    assert page.count("Settled once 3 evaluators have submitted: assign an additional one.") == 1


def test_the_esr_gives_the_final_scores_by_the_rule_and_says_so():
    call = _call(DivergenceSettlement.EXTRA_EVALUATOR, ExtraEvaluatorRule.MEDIAN)
    application, _first = _divergent(call)
    scored_assignment(application, evaluator(), _sheet("4.5"))
    application.state = ApplicationState.SELECTED
    application.save()

    (report,) = esr.call_reports(call)

    assert [(line.label, line.score) for line in report.criteria] == [
        ("Excellence", D("4.50")),
        ("Impact", D("4.00")),
        ("Implementation", D("4.00")),
    ]
    assert (report.total, report.final_rule, report.by_consensus) == (D("12.50"), "median", False)
    html = render_to_string("evaluation/pdf/esr.html", _context(report))
    assert (
        html.count(
            "As the call's rules state, the final score of each criterion is the median of the "
            "scores given by all the evaluators"
        )
        == 1
    )
    assert "the mean of the evaluators' scores" not in html


def _context(report):
    return {"report": report, "call": report.call, "application": report.application}
