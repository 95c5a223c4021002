"""A visitor walks the public pages; the figures shown match the database."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models import Sum
from playwright.sync_api import expect

from accounts.models import Organisation
from calls.models import ConsortiumMember
from public import demo
from public.models import CallFigures
from tests.matchmaking.factories import make_profile

pytestmark = pytest.mark.django_db(transaction=True)


def euros(value: Decimal) -> str:
    return f"{value:,.2f}"


def test_visitor_walks_the_public_pages_and_the_figures_match_the_database(page):
    cache.clear()
    demo.seed(stdout=open("/dev/null", "w"))  # noqa: SIM115 - a sink for the seed's message
    members = ConsortiumMember.objects.filter(awarded_amount__gt=0)
    total = members.aggregate(total=Sum("awarded_amount"))["total"]
    smes = members.values("organisation").distinct().count()
    countries = members.values("organisation__country").distinct().count()
    projects = members.values("application").distinct().count()
    received = CallFigures.objects.get(call__slug=demo.SLUG).proposals_received
    refiner = Organisation.objects.get(legal_name="Sterea Bauxite Ores SA")
    make_profile(refiner, stages=["refining"], raw_materials=["bauxite"])
    refining = members.filter(organisation=refiner).aggregate(t=Sum("awarded_amount"))["t"]

    page.goto("/")
    expect(page.locator('[data-figure="total_awarded"]').first).to_have_text(f"€{euros(total)}")
    expect(page.locator('[data-figure="smes_funded"]').first).to_have_text(str(smes))
    expect(page.locator('[data-figure="countries"]').first).to_have_text(str(countries))
    expect(page.locator('[data-figure="projects_funded"]').first).to_have_text(str(projects))
    expect(page.locator('[data-figure="proposals_received"]').first).to_have_text(str(received))

    page.get_by_role("link", name="All figures, per call and per country").click()
    row = page.locator(f'tr[data-call="{demo.SLUG}"]')
    expect(row.locator("td").nth(0)).to_have_text(str(received))
    expect(row.locator("td").nth(5)).to_have_text(f"€{euros(total)}")
    expect(page.locator("svg.bar-chart")).to_have_count(6)
    stage_row = page.locator('#stage-table tr[data-code="refining"]')
    expect(stage_row.locator("td").nth(0)).to_have_text("1")
    expect(stage_row.locator("td").nth(1)).to_have_text(f"€{euros(refining)}")

    page.goto("/projects/")
    page.get_by_label("Value-chain stage").select_option("refining")
    page.get_by_role("button", name="Show projects").click()
    expect(page.locator("#result-count")).to_have_text("1 funded project")
    expect(page.get_by_role("link", name="REDMUD-CEM")).to_be_visible()

    page.goto("/projects/")
    page.get_by_label("Country").select_option("GR")
    page.get_by_role("button", name="Show projects").click()
    expect(page.locator("#result-count")).to_have_text("1 funded project")
    page.get_by_role("link", name="REDMUD-CEM").click()
    redmud = members.filter(application__acronym="REDMUD-CEM").aggregate(t=Sum("awarded_amount"))
    expect(page.locator('[data-figure="amount"]')).to_have_text(f"€{euros(redmud['t'])}")
    expect(page.get_by_role("cell", name="Sterea Bauxite Ores SA")).to_be_visible()
    expect(page.get_by_role("cell", name="Refining")).to_be_visible()
    expect(page.locator('[data-figure="duration"]')).to_have_text("—")  # run before MineGap

    page.goto(f"/beneficiaries/?call={demo.SLUG}&sort=-amount")
    expect(page.locator("tbody tr")).to_have_count(members.count())
    expect(page.locator("tbody tr").first.locator("td").last).to_have_text("€49,999.99")

    page.goto("/decisions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Committee decisions")
    page.goto("/open-data/")
    expect(page.get_by_role("link", name="GET /api/v1/public/stats/")).to_be_visible()
