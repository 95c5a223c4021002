"""Countries eligible by default: EU member states and Horizon Europe associated countries.

Codes are ISO 3166-1 alpha-2 (Greece is GR; the EU's own code EL is accepted as an alias).
"""

from django.utils.translation import gettext_lazy as _

EU_MEMBER_STATES = {
    "AT": _("Austria"),
    "BE": _("Belgium"),
    "BG": _("Bulgaria"),
    "HR": _("Croatia"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "FI": _("Finland"),
    "FR": _("France"),
    "DE": _("Germany"),
    "GR": _("Greece"),
    "HU": _("Hungary"),
    "IE": _("Ireland"),
    "IT": _("Italy"),
    "LV": _("Latvia"),
    "LT": _("Lithuania"),
    "LU": _("Luxembourg"),
    "MT": _("Malta"),
    "NL": _("Netherlands"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RO": _("Romania"),
    "SK": _("Slovakia"),
    "SI": _("Slovenia"),
    "ES": _("Spain"),
    "SE": _("Sweden"),
}

HORIZON_EUROPE_ASSOCIATED = {
    "AL": _("Albania"),
    "AM": _("Armenia"),
    "BA": _("Bosnia and Herzegovina"),
    "CA": _("Canada"),
    "CH": _("Switzerland"),
    "FO": _("Faroe Islands"),
    "GE": _("Georgia"),
    "GB": _("United Kingdom"),
    "IL": _("Israel"),
    "IS": _("Iceland"),
    "KR": _("South Korea"),
    "MD": _("Moldova"),
    "ME": _("Montenegro"),
    "MK": _("North Macedonia"),
    "NO": _("Norway"),
    "NZ": _("New Zealand"),
    "RS": _("Serbia"),
    "TN": _("Tunisia"),
    "TR": _("Türkiye"),
    "UA": _("Ukraine"),
    "XK": _("Kosovo"),
}

COUNTRIES = {**EU_MEMBER_STATES, **HORIZON_EUROPE_ASSOCIATED}
COUNTRY_CHOICES = sorted(COUNTRIES.items(), key=lambda item: str(item[1]))
ALIASES = {"EL": "GR", "UK": "GB"}


def normalise_country(code: str) -> str:
    code = (code or "").strip().upper()
    return ALIASES.get(code, code)


def country_name(code: str) -> str:
    return str(COUNTRIES.get(code, code))


# VAT numbers: (prefix, pattern of what follows the prefix). The prefix is the one the EU's VIES
# uses (Greece EL); the letter after AT and CH is part of the number; sources: VIES format help and national tax authorities.
VAT_FORMATS: dict[str, tuple[str, str]] = {
    "AT": ("AT", r"U\d{8}"),
    "BE": ("BE", r"[01]\d{9}"),
    "BG": ("BG", r"\d{9,10}"),
    "HR": ("HR", r"\d{11}"),
    "CY": ("CY", r"\d{8}[A-Z]"),
    "CZ": ("CZ", r"\d{8,10}"),
    "DK": ("DK", r"\d{8}"),
    "EE": ("EE", r"\d{9}"),
    "FI": ("FI", r"\d{8}"),
    "FR": ("FR", r"[0-9A-HJ-NP-Z]{2}\d{9}"),
    "DE": ("DE", r"\d{9}"),
    "GR": ("EL", r"\d{9}"),
    "HU": ("HU", r"\d{8}"),
    "IE": ("IE", r"\d[0-9A-Z+*]\d{5}[A-W][A-I]?"),
    "IT": ("IT", r"\d{11}"),
    "LV": ("LV", r"\d{11}"),
    "LT": ("LT", r"\d{9}|\d{12}"),
    "LU": ("LU", r"\d{8}"),
    "MT": ("MT", r"\d{8}"),
    "NL": ("NL", r"\d{9}B\d{2}"),
    "PL": ("PL", r"\d{10}"),
    "PT": ("PT", r"\d{9}"),
    "RO": ("RO", r"\d{2,10}"),
    "SK": ("SK", r"\d{10}"),
    "SI": ("SI", r"\d{8}"),
    "ES": ("ES", r"[A-Z0-9]\d{7}[A-Z0-9]"),
    "SE": ("SE", r"\d{10}01"),
    # Horizon Europe associated countries (national VAT or tax numbers).
    "AL": ("AL", r"[A-Z]\d{8}[A-Z]"),
    "AM": ("AM", r"\d{8}"),
    "BA": ("BA", r"\d{12,13}"),
    "CA": ("CA", r"\d{9}(?:RT\d{4})?"),
    "CH": ("CH", r"E\d{9}"),
    "FO": ("FO", r"\d{6}"),
    "GE": ("GE", r"\d{9}"),
    "GB": ("GB", r"\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2}"),
    "IL": ("IL", r"\d{9}"),
    "IS": ("IS", r"\d{5,6}"),
    "KR": ("KR", r"\d{10}"),
    "MD": ("MD", r"\d{7,13}"),
    "ME": ("ME", r"\d{8}"),
    "MK": ("MK", r"\d{13}"),
    "NO": ("NO", r"\d{9}"),
    "NZ": ("NZ", r"\d{8,9}"),
    "RS": ("RS", r"\d{9}"),
    "TN": ("TN", r"\d{7}[A-Z]"),
    "TR": ("TR", r"\d{10}"),
    "UA": ("UA", r"\d{8,12}"),
    "XK": ("XK", r"\d{9}"),
}

# NUTS (statistical regions): the country's prefix; EL for Greece, UK for the United Kingdom.
# Countries outside the NUTS classification and its statistical regions have no entry.
NUTS_PREFIXES: dict[str, str] = {
    **{code: code for code in EU_MEMBER_STATES},
    "GR": "EL",
    "AL": "AL",
    "CH": "CH",
    "IS": "IS",
    "ME": "ME",
    "MK": "MK",
    "NO": "NO",
    "RS": "RS",
    "TR": "TR",
    "GB": "UK",
}
