"""classify_sme: Recommendation 2003/361 thresholds, aggregation and reasons, at the edges."""

from decimal import Decimal as D

import pytest

from accounts.sme import Figures, RelatedEnterprise, SMECategory, classify_sme


def classify(staff, turnover, balance, **kwargs):
    return classify_sme(staff=D(staff), turnover=D(turnover), balance_sheet=D(balance), **kwargs)


@pytest.mark.parametrize(
    ("staff", "turnover", "balance", "category"),
    [
        ("250", "1000000", "1000000", SMECategory.NOT_SME),
        ("249", "1000000", "1000000", SMECategory.MEDIUM),
        ("249.99", "1000000", "1000000", SMECategory.MEDIUM),
        ("100", "50000000", "60000000", SMECategory.MEDIUM),
        ("100", "50000000.01", "43000000", SMECategory.MEDIUM),
        ("100", "50000000.01", "43000000.01", SMECategory.NOT_SME),
        ("50", "1000000", "1000000", SMECategory.MEDIUM),
        ("49", "10000000", "10000000", SMECategory.SMALL),
        ("49", "10000000.01", "10000000.01", SMECategory.MEDIUM),
        ("49", "10000000.01", "9000000", SMECategory.SMALL),
        ("10", "500000", "500000", SMECategory.SMALL),
        ("9", "2000000", "2000000", SMECategory.MICRO),
        ("9.5", "2000000.01", "2000000", SMECategory.MICRO),
        ("9", "2000000.01", "2000000.01", SMECategory.SMALL),
        ("0", "0", "0", SMECategory.MICRO),
    ],
)
def test_thresholds(staff, turnover, balance, category):
    assert classify(staff, turnover, balance).category == category


def test_exactly_250_staff_gives_the_human_reason():
    result = classify("250", "1000000", "1000000")
    assert result.reasons[-1] == "250 staff is not fewer than 250 → not an SME."
    assert result.is_sme is False


def test_turnover_above_but_balance_within_is_explained():
    result = classify("100", "50000000.01", "43000000")
    assert result.reasons[-2:] == [
        "100 staff is fewer than 250 and turnover €50,000,000.01 is above €50,000,000.00 "
        "but balance-sheet total €43,000,000.00 is at most €43,000,000.00 → "
        "medium-sized enterprise ceiling met.",
        "100 staff is not fewer than 50 → medium-sized, not small.",
    ]


def test_partner_aggregation_pushes_over_the_staff_threshold():
    partner = RelatedEnterprise(
        name="Holding Oy", holding_percent=D("30"), figures=Figures(D("200"), D(0), D(0))
    )
    alone = classify("200", "1000000", "1000000")
    together = classify("200", "1000000", "1000000", related=[partner])
    assert alone.category == SMECategory.MEDIUM
    assert together.category == SMECategory.NOT_SME
    assert together.figures.staff == D("260")
    assert together.reasons[0] == (
        "Holding Oy is a partner enterprise held at 30 %: its figures count pro rata."
    )


def test_partner_pro_rata_money_keeps_exact_decimals():
    partner = RelatedEnterprise(
        name="P", holding_percent=D("33.33"), figures=Figures(D(3), D("1000000.00"), D(0))
    )
    result = classify("5", "1000000", "3000000", related=[partner])
    assert result.figures.turnover == D("1333300.0000")
    assert result.figures.staff == D("5.9999")
    assert result.category == SMECategory.MICRO


def test_linked_enterprise_counts_in_full():
    linked = RelatedEnterprise(
        name="Parent AB",
        holding_percent=D("60"),
        figures=Figures(D("45"), D("9000000"), D("9000000")),
        linked=True,
    )
    result = classify("8", "1500000", "1500000", related=[linked])
    assert result.figures == Figures(D("53"), D("10500000"), D("10500000"))
    assert result.category == SMECategory.MEDIUM
    assert result.reasons[0] == "Parent AB is a linked enterprise: its figures count at 100 %."


@pytest.mark.parametrize(
    ("holding", "category"), [("25", SMECategory.NOT_SME), ("24.99", SMECategory.MICRO)]
)
def test_public_body_holding(holding, category):
    result = classify("3", "100000", "100000", public_body_holding=D(holding))
    assert result.category == category


def test_public_body_reason():
    result = classify("3", "100000", "100000", public_body_holding=D("25"))
    assert result.reasons[-1] == "Public bodies hold 25 % (25 % or more) → not an SME."


def test_micro_reasons_list_every_ceiling_met():
    result = classify("4", "300000", "200000")
    assert len(result.reasons) == 4
    assert result.reasons[-1] == (
        "4 staff is fewer than 10 and turnover €300,000.00 is at most €2,000,000.00 "
        "→ micro enterprise ceiling met."
    )
    assert result.label == "Micro enterprise"
