import pytest
from django.core.exceptions import ValidationError

from accounts.validators import (
    normalise_vat,
    validate_founding_year,
    validate_nuts,
    validate_pic,
)


@pytest.mark.parametrize(
    ("country", "raw", "expected"),
    [
        ("FI", "FI28765432", "FI28765432"),
        ("FI", "2876 5432", "FI28765432"),
        ("FI", "fi-2876.5432", "FI28765432"),
        ("GR", "094123456", "EL094123456"),
        ("GR", "GR094123456", "EL094123456"),
        ("GR", "el 094 123 456", "EL094123456"),
        ("ES", "b47123456", "ESB47123456"),
        ("AT", "U12345678", "ATU12345678"),
        ("AT", "ATU12345678", "ATU12345678"),
        ("NL", "123456789B01", "NL123456789B01"),
        ("SE", "556677889901", "SE556677889901"),
        ("CH", "CHE-123.456.789 MWST", "CHE123456789"),
        ("GB", "UK123456789", "GB123456789"),
        ("DE", "123456789", "DE123456789"),
    ],
)
def test_vat_normalised(country, raw, expected):
    assert normalise_vat(country=country, vat_number=raw) == expected


@pytest.mark.parametrize(
    ("country", "raw"),
    [
        ("FI", "1234567"),
        ("DE", "DE12345678"),
        ("SE", "5566778899"),
        ("FR", "FR1234567890"),
        ("PT", "ES123456789"),
        ("FI", ""),
    ],
)
def test_vat_rejected(country, raw):
    with pytest.raises(ValidationError):
        normalise_vat(country=country, vat_number=raw)


def test_vat_error_names_country_and_example():
    with pytest.raises(ValidationError) as exc:
        normalise_vat(country="DE", vat_number="DE1")
    assert exc.value.messages == [
        "DE1 is not a valid VAT number for Germany (expected e.g. DE123456789)."
    ]


@pytest.mark.parametrize(
    ("country", "raw", "expected"),
    [("FI", "fi1d7", "FI1D7"), ("GR", "EL64", "EL64"), ("GB", "UKC1", "UKC1"), ("ES", "", "")],
)
def test_nuts_accepted(country, raw, expected):
    assert validate_nuts(country=country, nuts_region=raw) == expected


@pytest.mark.parametrize(
    ("country", "raw", "message"),
    [
        ("GR", "GR64", "A NUTS code in Greece starts with EL (e.g. EL1)."),
        ("GB", "GBC1", "A NUTS code in United Kingdom starts with UK (e.g. UK1)."),
        ("FI", "SE332", "A NUTS code in Finland starts with FI (e.g. FI1)."),
        (
            "FI",
            "FI1D7X",
            "A NUTS code is the country prefix followed by up to 3 letters or digits.",
        ),
        ("CA", "CA1", "Canada has no NUTS regions: leave this field empty."),
    ],
)
def test_nuts_rejected(country, raw, message):
    with pytest.raises(ValidationError) as exc:
        validate_nuts(country=country, nuts_region=raw)
    assert exc.value.messages == [message]


def test_pic_and_founding_year():
    assert validate_pic("999 123 456") == "999123456"
    assert validate_pic("") == ""
    with pytest.raises(ValidationError):
        validate_pic("12345678")
    assert validate_founding_year(1999) == 1999
    with pytest.raises(ValidationError):
        validate_founding_year(1700)
    with pytest.raises(ValidationError):
        validate_founding_year(3000)
