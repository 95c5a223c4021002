"""SME classification under Commission Recommendation 2003/361/EC (a pure function, no database).

The enterprise's own figures are added to those of its partner enterprises pro rata to the
holding (25-50 %) and to those of its linked enterprises at 100 %. A public body holding 25 % or
more of the capital or voting rights makes it not an SME. Then, on the aggregated figures:

- medium: fewer than 250 staff and (turnover <= EUR 50M or balance-sheet total <= EUR 43M);
- small: fewer than 50 staff and (turnover <= EUR 10M or balance-sheet total <= EUR 10M);
- micro: fewer than 10 staff and (turnover <= EUR 2M or balance-sheet total <= EUR 2M).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minegap.core.formatting import format_money

HUNDRED = Decimal(100)
PUBLIC_BODY_LIMIT = Decimal(25)
PARTNER_MIN_HOLDING = Decimal(25)
PARTNER_MAX_HOLDING = Decimal(50)


class SMECategory(models.TextChoices):
    MICRO = "micro", gettext_lazy("Micro enterprise")
    SMALL = "small", gettext_lazy("Small enterprise")
    MEDIUM = "medium", gettext_lazy("Medium-sized enterprise")
    NOT_SME = "not_sme", gettext_lazy("Not an SME")

    @classmethod
    def sme_values(cls) -> tuple[str, ...]:
        return (cls.MICRO, cls.SMALL, cls.MEDIUM)


@dataclass(frozen=True)
class Ceiling:
    category: str
    staff_below: Decimal
    turnover_max: Decimal
    balance_max: Decimal


# From the largest class down: each step must pass for the next one to be considered.
CEILINGS = (
    Ceiling(SMECategory.MEDIUM, Decimal(250), Decimal(50_000_000), Decimal(43_000_000)),
    Ceiling(SMECategory.SMALL, Decimal(50), Decimal(10_000_000), Decimal(10_000_000)),
    Ceiling(SMECategory.MICRO, Decimal(10), Decimal(2_000_000), Decimal(2_000_000)),
)


@dataclass(frozen=True)
class Figures:
    """Staff headcount in annual work units (AWU) and money in euros."""

    staff: Decimal
    turnover: Decimal
    balance_sheet: Decimal

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            self.staff + other.staff,
            self.turnover + other.turnover,
            self.balance_sheet + other.balance_sheet,
        )

    def share(self, percent: Decimal) -> "Figures":
        ratio = Decimal(percent) / HUNDRED
        return Figures(self.staff * ratio, self.turnover * ratio, self.balance_sheet * ratio)


@dataclass(frozen=True)
class RelatedEnterprise:
    """A partner (held 25-50 %, counted pro rata) or linked enterprise (counted at 100 %)."""

    name: str
    holding_percent: Decimal
    figures: Figures
    linked: bool = False


@dataclass(frozen=True)
class SMEResult:
    category: str
    figures: Figures
    reasons: list[str] = field(default_factory=list)

    @property
    def is_sme(self) -> bool:
        return self.category != SMECategory.NOT_SME

    @property
    def label(self) -> str:
        return str(SMECategory(self.category).label)


def _euros(amount: Decimal) -> str:
    return format_money(amount.quantize(Decimal("0.01")))


def _staff(amount: Decimal) -> str:
    return number_format(amount.quantize(Decimal("0.01")).normalize(), force_grouping=True)


def aggregate(own: Figures, related: Iterable[RelatedEnterprise]) -> tuple[Figures, list[str]]:
    total, reasons = own, []
    for enterprise in related:
        if enterprise.linked:
            total = total + enterprise.figures
            reasons.append(
                _("%(name)s is a linked enterprise: its figures count at 100 %%.")
                % {"name": enterprise.name}
            )
        else:
            total = total + enterprise.figures.share(enterprise.holding_percent)
            reasons.append(
                _(
                    "%(name)s is a partner enterprise held at %(pct)s %%: its figures count pro rata."
                )
                % {"name": enterprise.name, "pct": _staff(enterprise.holding_percent)}
            )
    return total, reasons


def classify_sme(
    *,
    staff: Decimal,
    turnover: Decimal,
    balance_sheet: Decimal,
    related: Iterable[RelatedEnterprise] = (),
    public_body_holding: Decimal = Decimal(0),
) -> SMEResult:
    """Classify an enterprise; the result carries the category and the reasons, in order."""
    figures, reasons = aggregate(
        Figures(Decimal(staff), Decimal(turnover), Decimal(balance_sheet)), related
    )
    reasons.append(
        _(
            "Figures counted: %(staff)s staff (AWU), turnover %(turnover)s, "
            "balance-sheet total %(balance)s."
        )
        % {
            "staff": _staff(figures.staff),
            "turnover": _euros(figures.turnover),
            "balance": _euros(figures.balance_sheet),
        }
    )
    if Decimal(public_body_holding) >= PUBLIC_BODY_LIMIT:
        reasons.append(
            _("Public bodies hold %(pct)s %% (25 %% or more) → not an SME.")
            % {"pct": _staff(Decimal(public_body_holding))}
        )
        return SMEResult(SMECategory.NOT_SME, figures, reasons)

    category = SMECategory.NOT_SME
    for ceiling in CEILINGS:
        passed, why = _check(ceiling, figures)
        reasons.append(why)
        if not passed:
            break
        category = ceiling.category
    return SMEResult(category, figures, reasons)


def _check(ceiling: Ceiling, figures: Figures) -> tuple[bool, str]:
    # What the enterprise is when it misses this ceiling (it met the one above).
    fail = {
        SMECategory.MEDIUM: _("not an SME"),
        SMECategory.SMALL: _("medium-sized, not small"),
        SMECategory.MICRO: _("small, not micro"),
    }[ceiling.category]
    label = str(SMECategory(ceiling.category).label).lower()
    values = {
        "staff": _staff(figures.staff),
        "limit": _staff(ceiling.staff_below),
        "turnover": _euros(figures.turnover),
        "tmax": _euros(ceiling.turnover_max),
        "balance": _euros(figures.balance_sheet),
        "bmax": _euros(ceiling.balance_max),
        "label": label,
        "fail": fail,
    }
    if figures.staff >= ceiling.staff_below:
        return False, _("%(staff)s staff is not fewer than %(limit)s → %(fail)s.") % values
    turnover_ok = figures.turnover <= ceiling.turnover_max
    balance_ok = figures.balance_sheet <= ceiling.balance_max
    if not turnover_ok and not balance_ok:
        return False, _(
            "Turnover %(turnover)s is above %(tmax)s and balance-sheet total %(balance)s is "
            "above %(bmax)s → %(fail)s."
        ) % values
    if turnover_ok:
        money = _("turnover %(turnover)s is at most %(tmax)s") % values
    else:
        money = (
            _(
                "turnover %(turnover)s is above %(tmax)s but balance-sheet total %(balance)s "
                "is at most %(bmax)s"
            )
            % values
        )
    return True, _(
        "%(staff)s staff is fewer than %(limit)s and %(money)s → %(label)s ceiling met."
    ) % {
        **values,
        "money": money,
    }
