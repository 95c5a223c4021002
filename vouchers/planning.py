"""Pure money arithmetic for voucher plans: every cent assigned, Decimal only.

`split_by_percent` turns a voucher amount and a plan's percentages into instalment amounts (the
last instalment takes the remainder); `split_matrix` splits each instalment between the
beneficiaries so that each row adds up to its instalment and each column to its share.
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
PROJECT_DAYS = 365  # deliverables are spread over a year from drafting; staff move due dates


def to_money(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal):
        raise ValidationError(_("Amounts are decimals, never floats."))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def plan_percents(plan: list[dict]) -> list[Decimal]:
    """The percentages of a call's `instalment_plan`, checked: each above 0, together 100."""
    try:
        percents = [Decimal(str(step["percent"])) for step in plan]
    except (KeyError, TypeError, ArithmeticError) as error:
        raise ValidationError(_("The call's instalment plan is malformed.")) from error
    if not percents or any(p <= 0 for p in percents) or sum(percents) != HUNDRED:
        raise ValidationError(_("The call's instalment plan must add up to 100 %."))
    return percents


def split_by_percent(total: Decimal, percents: list[Decimal]) -> list[Decimal]:
    """Amounts per percentage, rounded half up to the cent; the last takes the remainder."""
    total = to_money(total)
    amounts = [to_money(total * p / HUNDRED) for p in percents[:-1]]
    amounts.append(total - sum(amounts, Decimal("0")))
    if amounts[-1] < 0:
        raise ValidationError(_("The instalment plan leaves a negative last instalment."))
    return amounts


def split_proportionally(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`total` split in proportion to `weights` (largest remainder, ties to the first):
    the parts add up to `total` exactly."""
    weight_sum = sum(weights, Decimal("0"))
    if weight_sum <= 0:
        raise ValidationError(_("Nothing to split between."))
    exact = [total * w / weight_sum for w in weights]
    floors = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    cents_left = int(((total - sum(floors, Decimal("0"))) / CENT).to_integral_value())
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:cents_left]:
        floors[i] += CENT
    return floors


def split_matrix(instalments: list[Decimal], shares: list[Decimal]) -> list[list[Decimal]]:
    """rows[i][j]: beneficiary j's part of instalment i. Each row adds up to its instalment,
    each column to its share: every instalment but the last is split in proportion to the
    shares, and the last gives each beneficiary what remains of its share."""
    if sum(instalments, Decimal("0")) != sum(shares, Decimal("0")):
        raise ValidationError(_("The instalments and the shares do not add up to the same total."))
    rows = [split_proportionally(amount, shares) for amount in instalments[:-1]]
    last = [share - sum((row[j] for row in rows), Decimal("0")) for j, share in enumerate(shares)]
    if any(part < 0 for part in last):
        raise ValidationError(_("A share is too small for this instalment plan."))
    rows.append(last)
    return rows
