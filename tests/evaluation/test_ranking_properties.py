"""Invariants of the reference ranking on random scores (hypothesis).

Whatever the scores, countries and submission times: a proposal below a threshold never ranks
above one that passes them, the order is total (every proposal placed once, every place says
what put it below the one above) and the same on every run, and the order in which the
proposals are given never changes it. Derandomized with no example database, so CI and every
machine run the same examples; bounded so the file runs in a few seconds.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.ranking_rules import (
    DECIDED_BY_ID,
    DECIDED_BY_THRESHOLDS,
    DECIDED_BY_WEIGHTED_TOTAL,
    CriterionSpec,
    ProposalScores,
    rank_proposals,
)

D = Decimal
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CRITERIA = (
    CriterionSpec("excellence"),
    CriterionSpec("impact", weight=D("1.5")),
    CriterionSpec("implementation"),
)
TOTAL_THRESHOLD = D(10)
COUNTRIES = ["FI", "SE", "ES", "PT"]
CHAIN_STEPS = {
    None,
    DECIDED_BY_THRESHOLDS,
    DECIDED_BY_WEIGHTED_TOTAL,
    "criterion:impact",
    "criterion:excellence",
    "new_countries",
    "submitted_at",
    DECIDED_BY_ID,
}
#: Published finals: means of 1 to 3 half-point scores, two decimals (a few, to force ties).
FINALS = [D(v) for v in ("2.5", "2.83", "3", "3.17", "3.33", "3.5", "4", "4.33", "4.5", "5")]

EXAMPLES = settings(max_examples=100, derandomize=True, database=None, deadline=None)


@st.composite
def proposals(draw):
    count = draw(st.integers(min_value=0, max_value=12))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    return [
        ProposalScores(
            id=pid,
            scores={c.code: draw(st.sampled_from(FINALS)) for c in CRITERIA},
            submitted_at=T0 + timedelta(minutes=draw(st.integers(0, 2))),
            countries=frozenset(draw(st.sets(st.sampled_from(COUNTRIES), min_size=1, max_size=3))),
        )
        for pid in ids
    ]


def passes(p: ProposalScores) -> bool:
    """Written out from DOMAIN.md: each criterion at least 3, the total at least 10."""
    return all(v >= 3 for v in p.scores.values()) and sum(p.scores.values()) >= TOTAL_THRESHOLD


def rank(items):
    return rank_proposals(items, criteria=CRITERIA, total_threshold=TOTAL_THRESHOLD)


@EXAMPLES
@given(proposals())
def test_below_a_threshold_never_ranks_above_a_proposal_that_passes(items):
    expected = {p.id: passes(p) for p in items}
    ranking = rank(items)
    flags = [r.passed for r in ranking]
    assert flags == sorted(flags, reverse=True)
    assert {r.id: r.passed for r in ranking} == expected
    assert [r.rank for r in ranking] == [
        *range(1, flags.count(True) + 1),
        *[None] * flags.count(False),
    ]


@EXAMPLES
@given(proposals())
def test_the_order_is_total_and_explained_and_weighted_totals_never_rise(items):
    ranking = rank(items)
    assert sorted(r.id for r in ranking) == sorted(p.id for p in items)
    assert [r.position for r in ranking] == list(range(1, len(items) + 1))
    assert [r.decided_by for r in ranking[:1]] == [None] * min(1, len(items))
    assert all(r.decided_by in CHAIN_STEPS - {None} for r in ranking[1:])
    for above, below in pairwise(ranking):
        if above.passed == below.passed:
            assert above.weighted_total >= below.weighted_total
            if above.weighted_total > below.weighted_total:
                assert below.decided_by == DECIDED_BY_WEIGHTED_TOTAL
        else:
            assert below.decided_by == DECIDED_BY_THRESHOLDS
    assert rank(items) == ranking


@EXAMPLES
@given(st.data())
def test_permuting_the_input_never_changes_the_output(data):
    items = data.draw(proposals())
    shuffled = data.draw(st.permutations(items))
    assert rank(shuffled) == rank(items)
