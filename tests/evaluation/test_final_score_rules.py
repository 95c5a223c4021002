"""The final score of a criterion by the call's rule after an additional evaluator: the mean of
the two closest scores, or the median; rounded to two decimals, half up."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.scoring_rules import FinalScoreRule, final_criterion_score, final_scores

D = Decimal
MEAN, TWO_CLOSEST, MEDIAN = FinalScoreRule.MEAN, FinalScoreRule.TWO_CLOSEST, FinalScoreRule.MEDIAN


@pytest.mark.parametrize(
    ("scores", "rule", "final"),
    [
        # Two evaluators at 5 and 2, the third at 4.5.
        (("5", "2", "4.5"), MEAN, "3.83"),  # 11.5 / 3
        (("5", "2", "4.5"), TWO_CLOSEST, "4.75"),  # 4.5 and 5
        (("5", "2", "4.5"), MEDIAN, "4.50"),
        # The third exactly between the two: both pairs are as close, the median decides.
        (("5", "2", "3.5"), TWO_CLOSEST, "3.50"),
        (("1", "4", "4.5"), TWO_CLOSEST, "4.25"),
        # Four evaluators: the median of an even count is the mean of the middle two.
        (("2", "4", "4.5", "5"), MEDIAN, "4.25"),
        # 4 and 4.5 are as close as 4.5 and 5: the median.
        (("2", "4", "4.5", "5"), TWO_CLOSEST, "4.25"),
        (("3", "3", "5", "5"), TWO_CLOSEST, "4.00"),  # two pairs at 0 apart: the median
        (("2.5", "2.5", "4", "5"), TWO_CLOSEST, "2.50"),
        # One evaluator: every rule gives that score.
        (("3.5",), TWO_CLOSEST, "3.50"),
        (("3.5",), MEDIAN, "3.50"),
    ],
)
def test_the_rules_on_scores_worked_out_by_hand(scores, rule, final):
    assert final_criterion_score([D(s) for s in scores], rule=rule) == D(final)


def test_the_two_closest_of_four_with_one_pair_closer_than_the_others():
    # 2, 3.5, 4, 5: gaps 1.5, 0.5, 1: 3.5 and 4 are the closest.
    assert final_criterion_score([D("5"), D("2"), D("4"), D("3.5")], rule=TWO_CLOSEST) == D("3.75")


def test_a_consensus_overrides_every_rule():
    assert final_criterion_score([D("2"), D("5"), D("4.5")], consensus=D("4"), rule=MEDIAN) == D(
        "4.00"
    )


def test_final_scores_apply_the_rule_to_each_criterion():
    sheets = {
        1: {"excellence": D("5"), "impact": D("4")},
        2: {"excellence": D("2"), "impact": D("4.5")},
        3: {"excellence": D("4.5"), "impact": D("2.5")},
    }
    assert final_scores(sheets, rule=TWO_CLOSEST) == {
        "excellence": D("4.75"),
        "impact": D("4.25"),
    }
    assert final_scores(sheets, rule=MEDIAN) == {"excellence": D("4.50"), "impact": D("4.00")}
    assert final_scores(sheets) == {"excellence": D("3.83"), "impact": D("3.67")}


HALF_POINTS = st.integers(0, 10).map(lambda n: D(n) / 2)


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(
    st.lists(HALF_POINTS, min_size=1, max_size=6),
    st.sampled_from(list(FinalScoreRule)),
    st.randoms(),
)
def test_every_rule_stays_between_the_scores_and_ignores_their_order(scores, rule, random):
    final = final_criterion_score(scores, rule=rule)
    shuffled = list(scores)
    random.shuffle(shuffled)
    assert final_criterion_score(shuffled, rule=rule) == final
    assert min(scores) <= final <= max(scores)
    assert final == final.quantize(D("0.01"))
