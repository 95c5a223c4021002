"""How the public pages read: one date format, money with separators, filters that fit the data,
scroll regions a keyboard reaches."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from calls.models import ApplicationState
from public.models import CallFigures
from tests.calls.factories import CallFactory
from tests.public.factories import imported_award, project, results_call, sme

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    cache.clear()
    call = results_call(slug="call-a", title="Call A")
    first = project(
        call,
        [(sme("FI", legal_name="Lapland Ore Sensing Oy"), "25000.10"), (sme("SE"), "24999.99")],
        acronym="ORESENSE",
    )
    imported_award(first, "2021-06-30")
    project(call, [(sme("PT", legal_name="Hidden Lda"), "5.00")], state=ApplicationState.REJECTED)
    open_call = CallFactory(title="Call C is open", slug="call-c", state="open")
    CallFigures.objects.create(call=open_call, proposals_received=3, proposals_eligible=3)
    return {"first": first}


def page(client, name, *args, **query) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_project_page_writes_dates_day_first_and_amounts_with_separators(client, data):
    text = page(client, "public:project-detail", data["first"].pk)

    assert "<dd>30 June 2021</dd>" in text
    assert "2021-06-30<" not in text
    assert "€25,000.10" in text
    assert "25000.10" not in text


def test_beneficiary_filter_offers_all_and_only_countries_with_beneficiaries(client, data):
    text = page(client, "public:beneficiaries")

    select = re.search(r'<select name="country"[^>]*>(.*?)</select>', text, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select) == [
        ("", "All"),
        ("FI", "Finland"),
        ("SE", "Sweden"),
    ]
    assert "---------" not in text


def test_a_country_without_beneficiaries_in_the_query_stays_selectable_and_empty(client, data):
    text = page(client, "public:beneficiaries", country="DE")

    assert '<option value="DE" selected>Germany</option>' in text
    assert "Select a valid choice" not in text
    assert "Lapland Ore Sensing Oy" not in text


def test_figures_say_not_yet_decided_for_an_open_call(client, data):
    text = page(client, "public:figures")

    row = re.search(r'<tr data-call="call-c">(.*?)</tr>', text, re.S).group(1)
    assert "not yet decided" in row
    assert "0.0 %" not in row


def test_every_table_scroll_region_is_focusable_and_named(client, data):
    for name in ("public:projects", "public:beneficiaries", "public:figures"):
        text = page(client, name)
        wraps = re.findall(r'<div class="table-wrap"[^>]*>', text)
        assert wraps, name
        for wrap in wraps:
            assert re.search(r'tabindex="0" role="region" aria-label(ledby)?="[^"]+"', wrap), wrap
