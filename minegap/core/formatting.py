"""Money the one way people read it, in Python as in templates (`|money` calls this).

Messages built in Python (cap errors, e-mails, the decision's text, management commands) use
``format_money`` so a person never reads "EUR 25000.00" beside "€25,000.00".
"""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import ngettext, pgettext


def format_money(amount: Decimal | int | str | None) -> str:
    """Euros grouped, with two decimals and the euro sign where the active language puts it:
    "€25,000.00" in English, "25 000,00 €" in Spanish; empty for no amount."""
    if amount is None or amount == "":
        return ""
    number = number_format(Decimal(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    return pgettext("money", "€%(amount)s") % {"amount": number}


def format_points(value: Decimal | int | str) -> str:
    """A gap in score points as people say it: "1 point", "1.5 points", "2 points".

    The count is a Decimal; the plural is chosen on the whole number when the value is whole,
    and a fraction reads in the plural form of 2 (English "1.5 points")."""
    number = Decimal(value)
    decimals = max(0, -number.normalize().as_tuple().exponent)
    shown = number_format(number, decimal_pos=decimals)
    count = int(number) if decimals == 0 else 2
    return ngettext("%(points)s point", "%(points)s points", count) % {"points": shown}
