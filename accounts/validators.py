"""Checks for organisation identifiers: VAT per country, NUTS code, PIC, founding year."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.countries import ALIASES, NUTS_PREFIXES, VAT_FORMATS, country_name

EARLIEST_FOUNDING_YEAR = 1800
_VAT_NOISE = re.compile(r"[\s.\-/]")
_CH_SUFFIX = re.compile(r"(MWST|TVA|IVA)$")
_NUTS_TAIL = re.compile(r"[0-9A-Z]{0,3}")


def normalise_vat(*, country: str, vat_number: str) -> str:
    """Return the VAT number as prefix + digits/letters in upper case, or raise ValidationError.

    Accepts it with or without the country prefix (``FI 2876-5432`` or ``28765432``); Greece's
    prefix is EL (GR is accepted on input).
    """
    if country not in VAT_FORMATS:
        raise ValidationError(_("Choose an eligible country first."), code="country")
    prefix, pattern = VAT_FORMATS[country]
    value = _VAT_NOISE.sub("", vat_number or "").upper()
    if country == "CH":
        value = _CH_SUFFIX.sub("", value)
    if not value:
        raise ValidationError(_("Enter the organisation's VAT number."), code="required")
    input_prefixes = {
        prefix,
        country,
        *(alias for alias, code in ALIASES.items() if code == country),
    }
    for candidate in sorted(input_prefixes, key=len, reverse=True):
        if value.startswith(candidate) and re.fullmatch(pattern, value[len(candidate) :]):
            return prefix + value[len(candidate) :]
    if re.fullmatch(pattern, value):
        return prefix + value
    raise ValidationError(
        _("%(value)s is not a valid VAT number for %(country)s (expected e.g. %(example)s).")
        % {"value": vat_number, "country": country_name(country), "example": vat_example(country)},
        code="vat_format",
    )


def vat_example(country: str) -> str:
    """A made-up number in the country's format, for error messages and help texts."""
    examples = {
        "AT": "ATU12345678",
        "BE": "BE0123456789",
        "CY": "CY12345678X",
        "FR": "FR12345678901",
        "IE": "IE1234567T",
        "NL": "NL123456789B01",
        "ES": "ESB12345678",
        "SE": "SE123456789001",
        "AL": "AL J12345678A",
        "TN": "TN1234567A",
        "CH": "CHE123456789",
        "GR": "EL123456789",
    }
    if country in examples:
        return examples[country]
    prefix, pattern = VAT_FORMATS[country]
    match = re.match(r"\\d\{(\d+)", pattern)
    digits = int(match.group(1)) if match else 9
    return prefix + "123456789012345"[:digits]


def validate_nuts(*, country: str, nuts_region: str) -> str:
    """Normalise a NUTS code (upper case, no spaces); it must start with the country's prefix."""
    value = re.sub(r"\s", "", nuts_region or "").upper()
    if not value:
        return ""
    prefix = NUTS_PREFIXES.get(country)
    if prefix is None:
        raise ValidationError(
            _("%(country)s has no NUTS regions: leave this field empty.")
            % {"country": country_name(country)},
            code="nuts_country",
        )
    if not value.startswith(prefix):
        raise ValidationError(
            _("A NUTS code in %(country)s starts with %(prefix)s (e.g. %(prefix)s1).")
            % {"country": country_name(country), "prefix": prefix},
            code="nuts_prefix",
        )
    if not _NUTS_TAIL.fullmatch(value[len(prefix) :]):
        raise ValidationError(
            _("A NUTS code is the country prefix followed by up to 3 letters or digits."),
            code="nuts_format",
        )
    return value


def validate_pic(pic: str) -> str:
    value = re.sub(r"\s", "", pic or "")
    if value and not re.fullmatch(r"\d{9}", value):
        raise ValidationError(_("A PIC has exactly 9 digits."), code="pic")
    return value


def validate_founding_year(year: int | None) -> int | None:
    if year is None:
        return None
    this_year = timezone.now().year
    if not EARLIEST_FOUNDING_YEAR <= year <= this_year:
        raise ValidationError(
            _("Enter a founding year between %(first)s and %(last)s.")
            % {"first": EARLIEST_FOUNDING_YEAR, "last": this_year},
            code="founding_year",
        )
    return year
