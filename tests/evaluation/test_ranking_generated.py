"""The ranking of generated calls (tests/evaluation/generated_calls.py) against the orders the
ranking gave before issue #15 (`data/ranking_orders.json`, written once by
`data/orders_writer.py` with the implementation that recomputed everything per request, and
reviewed by hand), and against what can be worked out from the generated data alone."""

import json
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest

from evaluation.ranking_pages import StoredRanking
from evaluation.results import call_ranking
from tests.evaluation.generated_calls import generate_call

pytestmark = pytest.mark.django_db

FROZEN = json.loads((Path(__file__).parent / "data" / "ranking_orders.json").read_text())
#: The factory's criteria (tests/calls/factories.py): Excellence, Impact x 1.5, Implementation,
#: each with a threshold of 3; the total threshold is 10.
WEIGHTS = {"excellence": Decimal(1), "impact": Decimal("1.5"), "implementation": Decimal(1)}


@pytest.mark.parametrize("frozen", FROZEN, ids=lambda c: f"seed{c['seed']}")
def test_generated_calls_rank_as_before_and_as_worked_out_by_hand(frozen):
    generated = generate_call(frozen["seed"], frozen["count"])
    call = generated.call
    suffix = {a.pk: s for s, a in generated.applications.items()}

    rows, pending = call_ranking(call)

    ranking = [
        [
            suffix[row.ranked.id],
            row.ranked.position,
            row.ranked.rank,
            row.ranked.decided_by,
            row.proposed_outcome,
            str(row.ranked.total),
            str(row.ranked.weighted_total),
            [str(row.ranked.scores[code]) for code in sorted(row.ranked.scores)],
        ]
        for row in rows
    ]
    assert ranking == frozen["ranking"]
    assert sorted(suffix[p.application.pk] for p in pending) == frozen["pending"]
    assert frozen["pending"] == sorted(generated.expected_pending)

    # Worked out from the rules, not from the code: totals, weights, thresholds, the order.
    for row in rows:
        scores = row.ranked.scores
        assert row.ranked.total == sum(scores.values())
        assert row.ranked.weighted_total == sum(WEIGHTS[c] * v for c, v in scores.items())
        passes = all(v >= 3 for v in scores.values()) and row.ranked.total >= 10
        assert row.ranked.passed == passes
    flags = [row.ranked.passed for row in rows]
    assert flags == sorted(flags, reverse=True)
    for above, below in pairwise(rows):
        if above.ranked.passed == below.ranked.passed:
            assert above.ranked.weighted_total >= below.ranked.weighted_total
    # The budget line: fund in rank order while the next request fits, then the reserve.
    spent, line_reached = Decimal(0), False
    for row in rows:
        requested = sum(
            Decimal(m["requested_amount"])
            for m in row.result.application.versions.get().snapshot["members"]
        )
        if not row.ranked.passed:
            assert row.proposed_outcome == "reject"
        elif not line_reached and spent + requested <= call.total_budget:
            spent += requested
            assert (row.proposed_outcome, row.cumulative_requested) == ("fund", spent)
        else:
            line_reached = True
            assert row.proposed_outcome == "reserve"

    # The stored pages hold the same ranking.
    stored = list(StoredRanking(call))
    assert [(line.application_id, line.position, line.proposed_outcome) for line in stored] == [
        (row.ranked.id, row.ranked.position, row.proposed_outcome) for row in rows
    ]
