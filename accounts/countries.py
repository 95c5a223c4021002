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
