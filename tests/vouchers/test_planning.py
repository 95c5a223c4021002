"""Rounding: every cent assigned, the last instalment takes the remainder."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from vouchers.planning import plan_percents, split_by_percent, split_matrix, split_proportionally

D = Decimal


@pytest.mark.parametrize(
    ("percents", "expected"),
    [
        ([70, 30], [D("23333.33"), D("10000.00")]),
        ([50, 50], [D("16666.67"), D("16666.66")]),
        ([40, 30, 30], [D("13333.33"), D("10000.00"), D("10000.00")]),
        (["33.33", "33.33", "33.34"], [D("11110.00"), D("11110.00"), D("11113.33")]),
    ],
)
def test_awkward_amount_split_to_the_cent(percents, expected):
    amounts = split_by_percent(D("33333.33"), [D(str(p)) for p in percents])
    assert amounts == expected
    assert sum(amounts) == D("33333.33")


def test_split_proportionally_assigns_every_cent():
    assert split_proportionally(D("0.10"), [D("1"), D("1"), D("1")]) == [
        D("0.04"),
        D("0.03"),
        D("0.03"),
    ]
    assert split_proportionally(D("16666.67"), [D("20000.00"), D("13333.33")]) == [
        D("10000.00"),
        D("6666.67"),
    ]


def test_matrix_rows_add_up_to_instalments_and_columns_to_shares():
    shares = [D("11111.11"), D("11111.11"), D("11111.11")]
    instalments = split_by_percent(D("33333.33"), [D("40"), D("30"), D("30")])
    rows = split_matrix(instalments, shares)
    assert [sum(row) for row in rows] == instalments
    assert [sum(column) for column in zip(*rows, strict=True)] == shares
    assert rows == [
        [D("4444.45"), D("4444.44"), D("4444.44")],
        [D("3333.34"), D("3333.33"), D("3333.33")],
        [D("3333.32"), D("3333.34"), D("3333.34")],
    ]


def test_plan_must_add_up_to_100():
    with pytest.raises(ValidationError):
        plan_percents([{"percent": 50}, {"percent": 40}])
    with pytest.raises(ValidationError):
        plan_percents([{"label": "no percent"}])
    assert plan_percents([{"percent": "33.5"}, {"percent": "66.5"}]) == [D("33.5"), D("66.5")]


def test_floats_refused():
    with pytest.raises(ValidationError):
        split_by_percent(33333.33, [D("100")])
