"""The results read divergence at its limits as the rules state them (DOMAIN.md "Evaluation"):
divergent only when a criterion's scores are MORE than 2 points apart or the totals MORE than
30 % of the higher total apart; the reasons as worked out by hand. `call_results` asks
`check_divergence` for its reasons only when a test may fail (issue #15): these cases hold it
to the same answers at the limits."""

from decimal import Decimal

import pytest

from calls.models import ApplicationState
from evaluation.results import call_results
from evaluation.scoring_rules import DivergenceReason
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)

pytestmark = pytest.mark.django_db
D = Decimal


def _sheet(excellence, impact, implementation):
    return {"Excellence": excellence, "Impact": impact, "Implementation": implementation}


@pytest.mark.parametrize(
    ("first", "second", "reasons"),
    [
        # Excellence 2 points apart (not more), totals 13 and 11 (2 apart, 30 % is 3.9).
        (("5", "4", "4"), ("3", "4", "4"), ()),
        # Excellence 2.5 apart: divergent on that criterion alone (totals 13 and 10.5).
        (
            ("5", "4", "4"),
            ("2.5", "4", "4"),
            (DivergenceReason("excellence", D("2.5"), D("5"), D("2.5"), D("2")),),
        ),
        # Every criterion 2 apart, totals 15 and 9: 6 apart, 30 % of 15 is 4.5.
        (
            ("5", "5", "5"),
            ("3", "3", "3"),
            (DivergenceReason(None, D("9"), D("15"), D("6"), D("4.5")),),
        ),
        # Totals 15 and 10.5: exactly 30 % of 15 apart, not more.
        (("5", "5", "5"), ("3.5", "3.5", "3.5"), ()),
        # Both tests fail: criteria first (in code order), then the totals.
        (
            ("5", "5", "5"),
            ("2.5", "3", "2.5"),
            (
                DivergenceReason("excellence", D("2.5"), D("5"), D("2.5"), D("2")),
                DivergenceReason("implementation", D("2.5"), D("5"), D("2.5"), D("2")),
                DivergenceReason(None, D("8"), D("15"), D("7"), D("4.5")),
            ),
        ),
    ],
)
def test_divergence_at_its_limits(first, second, reasons):
    call = closed_call(evaluators_per_proposal=2)
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    scored_assignment(application, evaluator(), _sheet(*first))
    scored_assignment(application, evaluator(), _sheet(*second))

    (result,) = call_results(call)

    assert (result.divergent, result.divergence.reasons) == (bool(reasons), reasons)
    assert result.complete is not bool(reasons)  # a divergence waits for its settlement
