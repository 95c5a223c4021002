"""One way to show money, scores and deadlines, in the active language."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import get_format

from minegap.core.formatting import format_money, moment_formatter, money_formatter
from minegap.core.templatetags.minegap_tags import deadline, money, score


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", Decimal("25000"), "€25,000.00"),
        ("en", Decimal("1395791.58"), "€1,395,791.58"),
        ("en", "60000.5", "€60,000.50"),
        ("en", Decimal("0"), "€0.00"),
        # Spanish groups with a no-break space (RAE) and puts the euro sign after, unbroken.
        ("es", Decimal("25000"), "25\u00a0000,00\u00a0€"),
        ("es", Decimal("1395791.58"), "1\u00a0395\u00a0791,58\u00a0€"),
    ],
)
def test_money_groups_thousands_with_two_decimals_and_the_euro_sign_of_the_language(
    language, value, shown
):
    with translation.override(language):
        assert money(value) == shown
        assert money_formatter()(value) == shown  # for a list: the language's format read once


def test_money_of_nothing_is_empty():
    assert money(None) == ""
    assert format_money(None) == ""
    assert money_formatter()(None) == ""


@pytest.mark.parametrize(
    ("language", "zone", "shown"),
    [
        # 09:30 UTC on 2 March is 10:30 in Brussels (winter), 11:30 in Helsinki.
        ("en", "Europe/Brussels", "2 March 2026, 10:30"),
        ("en", "Europe/Helsinki", "2 March 2026, 11:30"),
        ("es", "Europe/Brussels", "2 de marzo de 2026 a las 10:30"),
    ],
)
def test_a_list_s_moments_show_as_the_date_filter_shows_them(language, zone, shown):
    moment = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    with translation.override(language), timezone.override(zone):
        drawn = Template('{{ moment|date:"DATETIME_FORMAT" }}').render(Context({"moment": moment}))
        assert moment_formatter(get_format("DATETIME_FORMAT"))(moment) == shown
        assert drawn == shown


def test_a_moment_format_s_escaped_letters_stay_letters():
    moment = datetime(2026, 12, 7, 23, 5, tzinfo=UTC)
    with timezone.override("UTC"):
        assert moment_formatter(r"\d\a\y j, \a\t H:i")(moment) == "day 7, at 23:05"


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "At most €25,000.00 per SME"), ("es", "At most 25\u00a0000,00\u00a0€ per SME")],
)
def test_messages_built_in_python_show_money_as_the_pages_do(language, shown):
    """Cap errors, e-mails and commands format amounts in Python: same text as |money."""
    with translation.override(language):
        text = f"At most {format_money(Decimal('25000'))} per SME"
        rendered = Template("{% load minegap_tags %}At most {{ cap|money }} per SME").render(
            Context({"cap": Decimal("25000")})
        )

    assert text == shown
    assert rendered == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("15.0800"), "15.08"),
        (Decimal("15.085"), "15.09"),  # half up, as the ranking rounds
        (Decimal("4.333333"), "4.33"),
        (Decimal("3"), "3.00"),
    ],
)
def test_scores_show_the_published_two_decimals(value, shown):
    with translation.override("en"):
        assert score(value) == shown


def test_a_deadline_is_shown_in_the_calls_time_zone_and_names_it():
    moment = datetime(2026, 12, 6, 16, 0, tzinfo=UTC)

    with translation.override("en"):
        html = deadline(moment, "Europe/Helsinki")

    assert html == (
        '<time datetime="2026-12-06T18:00:00+02:00">6 December 2026, 18:00 (Europe/Helsinki)</time>'
    )


def test_dates_read_day_first_in_english():
    moment = datetime(2026, 6, 12, 17, 34, tzinfo=UTC)
    template = Template('{{ d|date:"DATETIME_FORMAT" }} · {{ d|date:"SHORT_DATE_FORMAT" }}')

    with translation.override("en"):
        html = template.render(Context({"d": moment}))

    assert html == "12 June 2026, 19:34 · 12 Jun 2026"  # Brussels time, day first


def test_no_table_header_repeats_the_unit_the_amounts_already_carry():
    """Amounts show their euro sign (|money), so a header reads "Amount", not "Amount (EUR)".
    CSV/XLSX exports keep "(EUR)" in their column names: their cells are bare numbers."""
    root = Path(settings.BASE_DIR)
    headers = [
        f"{path.relative_to(root)}: {header}"
        for folder in [*root.glob("*/templates"), *root.glob("minegap/*/templates")]
        for path in folder.rglob("*.html")
        for header in re.findall(r"<th[^>]*>[^<]*\(EUR\)", path.read_text(encoding="utf-8"))
    ]
    assert headers == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1.00"), "1 point"),
        (Decimal("1.50"), "1.5 points"),
        (Decimal("2.00"), "2 points"),
        (Decimal("0.50"), "0.5 points"),
    ],
)
def test_a_gap_in_points_reads_in_the_right_number(value, shown):
    """Issue #13: the divergence rule read "1 points" (its count is a Decimal)."""
    with translation.override("en"):
        assert Template("{% load minegap_tags %}{{ v|points }}").render(Context({"v": value})) == (
            shown
        )
