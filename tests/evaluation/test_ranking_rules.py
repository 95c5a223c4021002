"""The reference ranking: thresholds, weights, every tie-break step, the thirds example."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from evaluation.ranking_rules import (
    DEFAULT_TIE_BREAKS,
    CriterionSpec,
    FailedThreshold,
    ProposalScores,
    TieBreak,
    TieBreakKind,
    describe_decided_by,
    rank_proposals,
)
from evaluation.scoring_rules import final_scores

D = Decimal
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

CRITERIA = (
    CriterionSpec("excellence", label="Excellence"),
    CriterionSpec("impact", weight=D("1.5"), label="Impact"),
    CriterionSpec("implementation", label="Implementation"),
)


def scores(pid, excellence, impact, implementation, *, countries=("FI",), minutes=0, ref=""):
    return ProposalScores(
        id=pid,
        scores={
            "excellence": D(excellence),
            "impact": D(impact),
            "implementation": D(implementation),
        },
        submitted_at=T0 + timedelta(minutes=minutes),
        countries=frozenset(countries),
        reference=ref or f"P-{pid:04d}",
    )


def order(ranking):
    return [(r.reference, r.decided_by) for r in ranking]


def test_weighted_total_orders_and_each_position_explains_itself():
    ranking = rank_proposals(
        [scores(1, "4", "4", "4"), scores(2, "5", "3.5", "4.5"), scores(3, "3", "5", "3")],
        criteria=CRITERIA,
    )
    # Weighted: P1 4 + 6 + 4 = 14; P2 5 + 5.25 + 4.5 = 14.75; P3 3 + 7.5 + 3 = 13.5.
    assert [(r.reference, r.rank, r.total, r.weighted_total, r.decided_by) for r in ranking] == [
        ("P-0002", 1, D("13"), D("14.75"), None),
        ("P-0001", 2, D("12"), D("14"), "weighted_total"),
        ("P-0003", 3, D("11"), D("13.5"), "weighted_total"),
    ]


def test_weights_count_for_ranking_only_not_for_thresholds():
    # P1: total 10.5 passes (weighted 3 + 6.75 + 3 = 12.75). P2: total 9.5 fails the total
    # threshold of 10 although its weighted total (11.25) is above 10.
    ranking = rank_proposals(
        [scores(1, "3", "4.5", "3"), scores(2, "3", "3.5", "3"), scores(3, "5", "2.5", "5")],
        criteria=CRITERIA,
    )
    by_ref = {r.reference: r for r in ranking}
    assert (by_ref["P-0001"].passed, by_ref["P-0001"].weighted_total) == (True, D("12.75"))
    assert by_ref["P-0002"].failed_thresholds == (FailedThreshold(None, D("9.5"), D("10")),)
    # P3 has the highest weighted total (13.75) but fails Impact's threshold: listed after.
    assert by_ref["P-0003"].weighted_total == D("13.75")
    assert order(ranking) == [
        ("P-0001", None),
        ("P-0003", "thresholds"),
        ("P-0002", "weighted_total"),
    ]
    assert [r.rank for r in ranking] == [1, None, None]


def test_failed_thresholds_per_criterion_and_in_total_are_all_listed():
    ranking = rank_proposals([scores(1, "2.5", "2", "5")], criteria=CRITERIA)
    assert ranking[0].failed_thresholds == (
        FailedThreshold("excellence", D("2.5"), D("3")),
        FailedThreshold("impact", D("2"), D("3")),
        FailedThreshold(None, D("9.5"), D("10")),
    )
    assert (ranking[0].passed, ranking[0].rank, ranking[0].position) == (False, None, 1)


def test_a_score_exactly_at_a_threshold_passes():
    ranking = rank_proposals([scores(1, "3", "3", "4")], criteria=CRITERIA)
    assert (ranking[0].passed, ranking[0].failed_thresholds) == (True, ())


def test_thresholds_are_configurable_and_can_be_off():
    criteria = (
        CriterionSpec("excellence", threshold=D("4")),
        CriterionSpec("impact", threshold=None),
        CriterionSpec("implementation", threshold=D("0")),
    )
    ranking = rank_proposals(
        [scores(1, "4", "0", "0"), scores(2, "3.5", "5", "5")],
        criteria=criteria,
        total_threshold=None,
    )
    assert [(r.reference, r.passed) for r in ranking] == [("P-0001", True), ("P-0002", False)]
    assert ranking[1].failed_thresholds == (FailedThreshold("excellence", D("3.5"), D("4")),)


def test_tie_break_impact_first():
    # Same weighted total 14: P1 impact 4, P2 impact 3.5 (with more excellence).
    ranking = rank_proposals(
        [scores(2, "4.75", "3.5", "4"), scores(1, "4", "4", "4")], criteria=CRITERIA
    )
    assert [r.weighted_total for r in ranking] == [D("14"), D("14")]
    assert order(ranking) == [("P-0001", None), ("P-0002", "criterion:impact")]


def test_tie_break_excellence_when_impact_is_equal():
    ranking = rank_proposals(
        [scores(1, "3.5", "4", "4.5"), scores(2, "4.5", "4", "3.5")], criteria=CRITERIA
    )
    assert order(ranking) == [("P-0002", None), ("P-0001", "criterion:excellence")]


def test_tie_break_countries_not_yet_funded_higher_up():
    ranking = rank_proposals(
        [
            scores(1, "5", "5", "5", countries=["FI", "SE"]),  # first, alone at 17.5
            scores(2, "4", "4", "4", countries=["FI", "SE"], minutes=1),  # no new country
            scores(3, "4", "4", "4", countries=["FI", "PT"], minutes=2),  # brings PT
            scores(4, "4", "4", "4", countries=["ES", "PT"], minutes=3),  # brings ES and PT
        ],
        criteria=CRITERIA,
    )
    assert order(ranking) == [
        ("P-0001", None),
        ("P-0004", "weighted_total"),
        # P4 beat P2 (no new country) on diversity; after P4 (ES, PT), P3 brings nothing new,
        # like P2: earlier submission decides.
        ("P-0002", "new_countries"),
        ("P-0003", "submitted_at"),
    ]
    assert [r.new_countries for r in ranking] == [("FI", "SE"), ("ES", "PT"), (), ()]


def test_diversity_is_counted_against_what_is_placed_above_one_by_one():
    ranking = rank_proposals(
        [
            scores(1, "4", "4", "4", countries=["FI", "SE"], minutes=0),
            scores(2, "4", "4", "4", countries=["FI", "ES"], minutes=1),
            scores(3, "4", "4", "4", countries=["SE", "DE"], minutes=2),
        ],
        criteria=CRITERIA,
    )
    # All bring 2 new countries at first: P1 wins on submission time. Then P2 brings ES and
    # P3 brings DE (1 each): P2 wins on submission time again.
    assert order(ranking) == [
        ("P-0001", None),
        ("P-0002", "submitted_at"),
        ("P-0003", "submitted_at"),
    ]
    ranking = rank_proposals(
        [
            scores(1, "4", "4", "4", countries=["FI", "SE"], minutes=0),
            scores(2, "4", "4", "4", countries=["FI", "SE"], minutes=1),
            scores(3, "4", "4", "4", countries=["ES", "DE"], minutes=2),
        ],
        criteria=CRITERIA,
    )
    # P1 and P3 both bring two countries: P1 is earlier. After P1, P3 still brings two new
    # countries and P2 none: diversity puts P3 before P2 although P2 was submitted earlier.
    assert order(ranking) == [
        ("P-0001", None),
        ("P-0003", "submitted_at"),
        ("P-0002", "new_countries"),
    ]


def test_tie_break_earlier_submission_then_id():
    ranking = rank_proposals(
        [
            scores(3, "4", "4", "4", minutes=5),
            scores(1, "4", "4", "4", minutes=5),
            scores(2, "4", "4", "4", minutes=1),
        ],
        criteria=CRITERIA,
    )
    assert order(ranking) == [("P-0002", None), ("P-0001", "submitted_at"), ("P-0003", "id")]


def test_tie_break_chain_is_configurable():
    proposals = [
        scores(1, "3.5", "4", "4.5", countries=["FI"], minutes=0),
        scores(2, "4.5", "4", "3.5", countries=["FI"], minutes=1),
    ]
    by_time = rank_proposals(proposals, criteria=CRITERIA, tie_breaks=["submitted_at"])
    assert order(by_time) == [("P-0001", None), ("P-0002", "submitted_at")]
    by_implementation = rank_proposals(
        proposals,
        criteria=CRITERIA,
        tie_breaks=[TieBreak(TieBreakKind.CRITERION, "implementation")],
    )
    assert order(by_implementation) == [("P-0001", None), ("P-0002", "criterion:implementation")]
    no_chain = rank_proposals(list(reversed(proposals)), criteria=CRITERIA, tie_breaks=[])
    assert order(no_chain) == [("P-0001", None), ("P-0002", "id")]


def test_the_thirds_example_of_domain_md_ties_after_rounding_and_goes_to_the_tie_break():
    # Proposal A: excellence 5, 5, 5; impact 4, 4.5, 4.5; implementation 3.5 x 3.
    # Proposal B: excellence 4.5, 4.5, 5; impact 4, 4.5, 4.5; implementation 3.5, 4, 4.
    a = final_scores(
        {
            1: {"excellence": D("5"), "impact": D("4"), "implementation": D("3.5")},
            2: {"excellence": D("5"), "impact": D("4.5"), "implementation": D("3.5")},
            3: {"excellence": D("5"), "impact": D("4.5"), "implementation": D("3.5")},
        }
    )
    b = final_scores(
        {
            4: {"excellence": D("4.5"), "impact": D("4"), "implementation": D("3.5")},
            5: {"excellence": D("4.5"), "impact": D("4.5"), "implementation": D("4")},
            6: {"excellence": D("5"), "impact": D("4.5"), "implementation": D("4")},
        }
    )
    assert a == {"excellence": D("5.00"), "impact": D("4.33"), "implementation": D("3.50")}
    assert b == {"excellence": D("4.67"), "impact": D("4.33"), "implementation": D("3.83")}
    # Unrounded, floating point puts them a hair apart: the tie-break would never run.
    assert 5 + 1.5 * (13 / 3) + 3.5 != 14 / 3 + 1.5 * (13 / 3) + 11.5 / 3
    ranking = rank_proposals(
        [
            ProposalScores(2, b, T0, frozenset({"ES"}), "P-B"),
            ProposalScores(1, a, T0 + timedelta(hours=1), frozenset({"ES"}), "P-A"),
        ],
        criteria=CRITERIA,
    )
    assert [(r.reference, r.total, r.weighted_total, r.decided_by) for r in ranking] == [
        ("P-A", D("12.83"), D("14.995"), None),
        ("P-B", D("12.83"), D("14.995"), "criterion:excellence"),
    ]


def test_input_order_does_not_change_the_ranking():
    proposals = [
        scores(i, str(3 + (i % 3) / 2), str(3 + (i % 4) / 2), "4", countries=[c], minutes=i % 5)
        for i, c in zip(range(1, 25), ["FI", "SE", "ES", "PT"] * 6, strict=True)
    ]
    first = rank_proposals(proposals, criteria=CRITERIA)
    assert rank_proposals(list(reversed(proposals)), criteria=CRITERIA) == first
    assert [r.position for r in first] == list(range(1, 25))


def test_inconsistent_input_is_refused():
    with pytest.raises(ValueError, match="not a published"):
        rank_proposals([scores(1, "4.333", "4", "4")], criteria=CRITERIA)
    with pytest.raises(ValueError, match="every criterion"):
        rank_proposals([ProposalScores(1, {"impact": D("4")}, T0)], criteria=CRITERIA)
    with pytest.raises(ValueError, match="unknown criterion"):
        rank_proposals([], criteria=CRITERIA[:1], tie_breaks=DEFAULT_TIE_BREAKS)
    with pytest.raises(ValueError, match="twice"):
        rank_proposals([], criteria=CRITERIA, tie_breaks=["submitted_at", "submitted_at"])
    with pytest.raises(ValueError, match="duplicate proposal"):
        rank_proposals([scores(1, "4", "4", "4"), scores(1, "4", "4", "4")], criteria=CRITERIA)


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("criterion:impact", TieBreak(TieBreakKind.CRITERION, "impact")),
        ("new_countries", TieBreak(TieBreakKind.NEW_COUNTRIES)),
        ("submitted_at", TieBreak(TieBreakKind.SUBMITTED_AT)),
    ],
)
def test_tie_break_steps_parse_and_print_back(text, step):
    assert TieBreak.parse(text) == step
    assert str(step) == text


@pytest.mark.parametrize("text", ["criterion", "submitted_at:impact", "alphabetical"])
def test_bad_tie_break_steps_are_refused(text):
    with pytest.raises(ValueError, match="tie-break step"):
        TieBreak.parse(text)


def test_decided_by_reads_as_words():
    assert [
        describe_decided_by(code, CRITERIA)
        for code in (None, "weighted_total", "criterion:impact", "new_countries", "submitted_at")
    ] == [
        "first place",
        "weighted total",
        "tie-break on Impact",
        "countries not yet funded higher up",
        "earlier submission",
    ]


def naive_order(proposals, criteria):
    """One at a time over the whole list: the definition the fast placement must agree with."""
    weights = {c.code: c.weight for c in criteria}

    def failed(p):
        total = sum(p.scores.values())
        return total < 10 or any(v < 3 for v in p.scores.values())

    def weighted(p):
        return sum(weights[k] * v for k, v in p.scores.items())

    remaining = list(proposals)
    above, out = set(), []
    while remaining:
        best = min(
            remaining,
            key=lambda p: (
                failed(p),
                -weighted(p),
                -p.scores["impact"],
                -p.scores["excellence"],
                -len(p.countries - above),
                p.submitted_at,
                p.id,
            ),
        )
        remaining.remove(best)
        out.append(best.id)
        above |= best.countries
    return out


@pytest.mark.parametrize("seed", range(5))
def test_fast_placement_agrees_with_the_one_at_a_time_definition(seed):
    rng = random.Random(seed)
    proposals = [
        ProposalScores(
            id=i,
            scores={c.code: D(rng.choice(["2.5", "3", "4"])) for c in CRITERIA},
            submitted_at=T0 + timedelta(minutes=rng.randint(0, 3)),
            countries=frozenset(
                rng.sample(["FI", "SE", "ES", "PT", "DE", "PL"], rng.randint(1, 3))
            ),
        )
        for i in range(1, 80)
    ]
    ranking = rank_proposals(proposals, criteria=CRITERIA)
    assert [r.id for r in ranking] == naive_order(proposals, CRITERIA)
    assert {r.decided_by for r in ranking} >= {"new_countries", "submitted_at", "weighted_total"}
