"""Score validation, the divergence rule and final criterion scores (DOMAIN.md "Evaluation")."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluation.scoring_rules import (
    Divergence,
    DivergenceReason,
    DivergenceRule,
    check_divergence,
    final_criterion_score,
    final_scores,
    round_score,
    validate_justification,
    validate_score,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0"), D("0.0")),
        (D("3.5"), D("3.5")),
        ("4.50", D("4.5")),
        (5, D("5.0")),
        (" 2 ", D("2.0")),
    ],
)
def test_valid_scores_come_back_as_one_decimal(value, expected):
    score = validate_score(value, max_score=D("5"))
    assert (score, str(score)) == (expected, str(expected))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (D("-0.5"), "range"),
        (D("5.5"), "range"),
        (D("3.25"), "half_points"),
        (D("0.1"), "half_points"),
        ("abc", "invalid"),
        ("", "invalid"),
        (D("NaN"), "invalid"),
        (D("Infinity"), "invalid"),
        (2.5, "type"),
        (True, "type"),
    ],
)
def test_invalid_scores_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as caught:
        validate_score(value, max_score=5)
    assert caught.value.code == code


def test_the_criterion_maximum_bounds_the_score_and_is_named_in_the_message():
    assert validate_score("10", max_score=10) == D("10.0")
    with pytest.raises(ValidationError) as caught:
        validate_score("10.5", max_score=D("10"))
    assert caught.value.messages == ["A score must be between 0 and 10."]


def test_justification_needs_the_minimum_length_once_stripped():
    assert validate_justification("  " + "x" * 10 + "  ", min_length=10) == "x" * 10
    with pytest.raises(ValidationError) as caught:
        validate_justification("  too short   ", min_length=20)
    assert caught.value.messages == [
        "Explain the score in at least 20 characters (9 written so far)."
    ]
    with pytest.raises(ValidationError):
        validate_justification(None)  # type: ignore[arg-type]


# --- divergence -------------------------------------------------------------------------------


def sheet(excellence, impact, implementation):
    return {"excellence": D(excellence), "impact": D(impact), "implementation": D(implementation)}


def test_close_scores_do_not_diverge():
    result = check_divergence({"a": sheet("4", "4", "3.5"), "b": sheet("3.5", "4.5", "3")})
    assert result == Divergence(divergent=False, reasons=())


def test_totals_apart_by_more_than_30_percent_of_the_higher_diverge():
    # 15 vs 10: gap 5 > 4.5 (30 % of 15); no criterion differs by more than 2.
    result = check_divergence({"a": sheet("5", "5", "5"), "b": sheet("3", "3.5", "3.5")})
    assert result == Divergence(
        divergent=True,
        reasons=(DivergenceReason(None, D("10"), D("15"), D("5"), D("4.50")),),
    )


def test_totals_exactly_at_30_percent_do_not_diverge():
    # 10 vs 7: gap 3 = 30 % of 10: not MORE than the limit.
    result = check_divergence({"a": sheet("4", "3", "3"), "b": sheet("3", "2", "2")})
    assert result.divergent is False


def test_more_than_two_points_on_one_criterion_diverges():
    # Totals 11 vs 10 are close, impact differs by 2.5.
    result = check_divergence({"a": sheet("3", "4.5", "3.5"), "b": sheet("4", "2", "4")})
    assert result == Divergence(
        divergent=True,
        reasons=(DivergenceReason("impact", D("2"), D("4.5"), D("2.5"), D("2")),),
    )


def test_exactly_two_points_on_one_criterion_does_not_diverge():
    result = check_divergence({"a": sheet("3", "4", "3.5"), "b": sheet("4", "2", "4")})
    assert result.divergent is False


def test_divergence_compares_the_extremes_of_three_evaluators_and_lists_every_reason():
    result = check_divergence(
        {
            1: sheet("5", "5", "5"),
            2: sheet("4", "4", "4"),
            3: sheet("2.5", "2.5", "3"),
        }
    )
    assert [(r.criterion, r.gap) for r in result.reasons] == [
        ("excellence", D("2.5")),
        ("impact", D("2.5")),
        (None, D("7")),
    ]


def test_divergence_rule_is_configurable_and_each_test_can_be_off():
    scores = {"a": sheet("4", "4", "4"), "b": sheet("3", "3", "3")}  # 12 vs 9, 1 point each
    strict = DivergenceRule(total_ratio=D("0.2"), criterion_gap=D("0.5"))
    assert [r.criterion for r in check_divergence(scores, rule=strict).reasons] == [
        "excellence",
        "impact",
        "implementation",
        None,
    ]
    off = DivergenceRule(total_ratio=None, criterion_gap=None)
    assert check_divergence(scores, rule=off).divergent is False


def test_one_evaluator_or_all_zero_never_diverges_and_mismatched_sheets_are_refused():
    assert check_divergence({"a": sheet("5", "0", "0")}).divergent is False
    assert (
        check_divergence({"a": sheet("0", "0", "0"), "b": sheet("0", "0", "0")}).divergent is False
    )
    with pytest.raises(ValueError, match="same criteria"):
        check_divergence({"a": sheet("1", "1", "1"), "b": {"excellence": D("1")}})


def test_reasons_follow_the_code_order_whatever_order_the_sheets_list_their_criteria():
    # The sheets name implementation first; implementation and excellence both diverge.
    first = {"implementation": D("5"), "impact": D("3"), "excellence": D("5")}
    second = {"implementation": D("2"), "impact": D("3"), "excellence": D("2.5")}
    assert check_divergence({"a": first, "b": second}) == Divergence(
        divergent=True,
        reasons=(
            DivergenceReason("excellence", D("2.5"), D("5"), D("2.5"), D("2")),
            DivergenceReason("implementation", D("2"), D("5"), D("3"), D("2")),
            DivergenceReason(None, D("7.5"), D("13"), D("5.5"), D("3.90")),
        ),
    )


def test_the_extremes_may_be_any_evaluators_and_a_late_mismatched_sheet_is_refused():
    # The middle evaluator holds both extremes of impact (1 and, on totals, the lowest: 9).
    scores = {
        1: sheet("4", "3.5", "4"),
        2: sheet("4", "1", "4"),
        3: sheet("4", "3", "4"),
    }
    assert check_divergence(scores) == Divergence(
        divergent=True,
        reasons=(DivergenceReason("impact", D("1"), D("3.5"), D("2.5"), D("2")),),
    )
    # Totals 11.5 and 9: 2.5 apart, 30 % of 11.5 is 3.45: the totals agree.
    assert check_divergence(
        {1: scores[1], 2: scores[2]}, rule=DivergenceRule(criterion_gap=None)
    ) == (Divergence(divergent=False, reasons=()))
    with pytest.raises(ValueError, match="same criteria"):
        check_divergence({1: scores[1], 2: scores[2], 3: {"excellence": D("4")}})


def test_integer_scores_are_compared_and_reported_as_decimals():
    result = check_divergence(
        {"a": {"impact": 5, "excellence": 4}, "b": {"impact": 2, "excellence": 4}}
    )
    assert result == Divergence(
        divergent=True,
        reasons=(
            DivergenceReason("impact", D("2"), D("5"), D("3"), D("2")),
            DivergenceReason(None, D("6"), D("9"), D("3"), D("2.70")),
        ),
    )
    assert [type(value) for reason in result.reasons for value in (reason.low, reason.gap)] == [
        Decimal
    ] * 4


# --- final scores -----------------------------------------------------------------------------


def test_final_score_is_the_mean_rounded_half_up_to_two_decimals():
    assert final_criterion_score([D("4"), D("4.5"), D("4.5")]) == D("4.33")
    assert final_criterion_score([D("4.5"), D("4.5"), D("5")]) == D("4.67")
    assert final_criterion_score([D("3.5"), D("4"), D("4")]) == D("3.83")
    # A true half cent rounds up, never to even: 12.5 / 4 = 3.125 -> 3.13.
    assert final_criterion_score([D("3"), D("3"), D("3"), D("3.5")]) == D("3.13")
    assert round_score(D("2.345")) == D("2.35")
    assert str(final_criterion_score([D("4"), D("5")])) == "4.50"


def test_consensus_replaces_the_mean():
    assert final_criterion_score([D("1"), D("5")], consensus=D("4.5")) == D("4.50")
    assert final_criterion_score([], consensus=D("3")) == D("3.00")
    with pytest.raises(ValueError, match="no scores"):
        final_criterion_score([])


def test_final_scores_per_criterion_with_a_partial_consensus():
    scores = {
        "a": sheet("5", "4", "3.5"),
        "b": sheet("5", "4.5", "4"),
        "c": sheet("5", "4.5", "4"),
    }
    assert final_scores(scores) == {
        "excellence": D("5.00"),
        "impact": D("4.33"),
        "implementation": D("3.83"),
    }
    assert final_scores(scores, consensus={"implementation": D("4")}) == {
        "excellence": D("5.00"),
        "impact": D("4.33"),
        "implementation": D("4.00"),
    }
