"""Money the one way people read it, in Python as in templates (`|money` calls this).

Messages built in Python (cap errors, e-mails, the decision's text, management commands) use
``format_money`` so a person never reads "EUR 25000.00" beside "€25,000.00".
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.utils import numberformat, timezone
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language, ngettext, pgettext


def format_money(amount: Decimal | int | str | None) -> str:
    """Euros grouped, with two decimals and the euro sign where the active language puts it:
    "€25,000.00" in English, "25 000,00 €" in Spanish; empty for no amount."""
    return money_formatter()(amount)


def money_formatter() -> Callable[[Decimal | int | str | None], str]:
    """`format_money` for a list of amounts in the active language (the one rule of both): the
    separators, the grouping and the euro sign's place are looked up once (issue #15: the
    lookups cost a list of 50 rows as much as formatting the numbers)."""
    language = get_language()
    decimal_separator = get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
    grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
    thousand_separator = get_format("THOUSAND_SEPARATOR", language, use_l10n=True)
    pattern = pgettext("money", "€%(amount)s")

    def money(amount: Decimal | int | str | None) -> str:
        if amount is None or amount == "":
            return ""
        number = numberformat.format(
            Decimal(amount),
            decimal_separator,
            2,
            grouping,
            thousand_separator,
            force_grouping=True,
            use_l10n=True,
        )
        return pattern % {"amount": number}

    return money


def moment_formatter(format_string: str) -> Callable[[datetime], str]:
    """`{{ moment|date:format_string }}` for a list of aware datetimes: in the current time
    zone, the format's pieces split once rather than for each moment (Django's `Formatter.format`,
    split ahead)."""
    zone = timezone.get_current_timezone()
    pieces = [
        (bool(i % 2), piece if i % 2 else re_escaped.sub(r"\1", piece))
        for i, piece in enumerate(re_formatchars.split(str(format_string)))
        if piece
    ]

    def moment(value: datetime) -> str:
        formatter = DateFormat(timezone.localtime(value, zone))
        return "".join(
            str(getattr(formatter, piece)()) if specifier else piece for specifier, piece in pieces
        )

    return moment


def format_points(value: Decimal | int | str) -> str:
    """A gap in score points as people say it: "1 point", "1.5 points", "2 points".

    The count is a Decimal; the plural is chosen on the whole number when the value is whole,
    and a fraction reads in the plural form of 2 (English "1.5 points")."""
    number = Decimal(value)
    decimals = max(0, -number.normalize().as_tuple().exponent)
    shown = number_format(number, decimal_pos=decimals)
    count = int(number) if decimals == 0 else 2
    return ngettext("%(points)s point", "%(points)s points", count) % {"points": shown}
