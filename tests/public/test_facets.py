"""Funded projects by value-chain stage, sector and critical raw material (the funded SMEs'
published partner profiles): filters on the page, the API and the CSV; the figures' charts."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from matchmaking import services as matchmaking_services
from public import selectors
from tests.matchmaking.factories import admin_of, make_profile
from tests.public.factories import project, results_call, sme

pytestmark = pytest.mark.django_db


def funding_by_facet(facet: str) -> dict:
    return selectors.funding_by_facets((facet,))[facet]


@pytest.fixture
def data():
    """`both` (processing + recycling, ICT, cobalt) is funded twice; `refiner` (processing,
    lithium) once beside it; `plain` has no profile; `drafted` only a draft."""
    both, refiner = sme("FI", legal_name="Kainuu Cobalt Oy"), sme("SE", legal_name="Norr AB")
    plain, drafted = sme("PT", legal_name="Plain Lda"), sme("ES", legal_name="Draft SL")
    make_profile(
        both, stages=["processing", "recycling"], sectors=["ict"], raw_materials=["cobalt"]
    )
    make_profile(refiner, stages=["processing"], raw_materials=["lithium"])
    make_profile(drafted, stages=["exploration"], sectors=["ict"], published=False)
    first = project(
        results_call(slug="call-a"), [(both, "100.00"), (refiner, "0.01")], acronym="FIRST"
    )
    second = project(
        results_call(slug="call-b"), [(both, "50.50"), (plain, "10.00")], acronym="SECOND"
    )
    third = project(results_call(slug="call-c"), [(drafted, "7.00")], acronym="THIRD")
    return {"first": first, "second": second, "third": third, "both": both, "refiner": refiner}


def acronyms(client, query: str) -> list[str]:
    body = client.get(f"/api/v1/public/projects/?sort=acronym&{query}").json()
    return [p["acronym"] for p in body["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=processing", ["FIRST", "SECOND"]),
        ("stage=recycling", ["FIRST", "SECOND"]),
        ("stage=exploration", []),  # only a draft profile says so
        ("sector=ict", ["FIRST", "SECOND"]),
        ("crm=lithium", ["FIRST"]),
        ("crm=lithium&sector=ict", ["FIRST"]),  # two SMEs of one project meet one each
        ("crm=lithium&call=call-b", []),
        ("stage=refining", []),
    ],
)
def test_api_filters_by_facet(client, data, query, expected):
    assert acronyms(client, query) == expected


def test_csv_takes_the_facet_filters(client, data):
    response = client.get("/api/v1/public/projects/?format=csv&crm=lithium")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [(r[0], r[-3], r[-2], r[-1]) for r in rows[1:]] == [
        ("FIRST", "processing; recycling", "ict", "cobalt; lithium")
    ]


def test_a_facet_value_outside_the_vocabulary_is_a_400_with_a_message(client, data):
    response = client.get("/api/v1/public/projects/?stage=mining")

    assert response.status_code == 400
    assert "stage" in response.json()
    page = client.get(reverse("public:projects"), {"crm": "unobtainium"})
    assert (page.status_code, "Select a valid choice" in page.content.decode()) == (200, True)


def test_projects_page_filters_by_stage(client, data):
    text = client.get(reverse("public:projects"), {"stage": "processing"}).content.decode()

    assert ("FIRST" in text, "SECOND" in text, "THIRD" in text) == (True, True, False)
    assert "2 funded projects" in text
    assert "/api/v1/public/projects/?stage=processing&amp;format=csv" in text


def test_project_page_shows_each_smes_published_facets(client, data):
    text = client.get(reverse("public:project-detail", args=[data["first"].pk])).content.decode()

    assert "Processing, Recycling" in text
    assert "Cobalt" in text and "Lithium" in text


def test_funding_by_stage_counts_each_award_under_every_stage_of_its_sme(data):
    funding = funding_by_facet("stages")

    by_code = {row["code"]: (row["smes"], row["total"]) for row in funding["rows"]}
    assert [row["code"] for row in funding["rows"]] == [
        "exploration",
        "extraction",
        "processing",
        "refining",
        "manufacturing",
        "recycling",
        "remediation",
    ]  # the value chain's order, every stage
    assert by_code["processing"] == (2, Decimal("150.51"))
    assert by_code["recycling"] == (1, Decimal("150.50"))
    assert by_code["exploration"] == (0, Decimal("0.00"))  # a draft profile says nothing
    assert funding["not_stated"] == {"smes": 2, "total": Decimal("17.00")}


def test_funding_by_material_lists_only_materials_with_money(data):
    funding = funding_by_facet("raw_materials")

    assert [(r["name"], r["smes"], r["total"]) for r in funding["rows"]] == [
        ("Cobalt", 1, Decimal("150.50")),
        ("Lithium", 1, Decimal("0.01")),
    ]


def test_figures_page_has_stage_sector_and_material_charts_and_tables(client, data):
    text = client.get(reverse("public:figures")).content.decode()

    assert text.count("<svg") == 6
    for table in ("stage-table", "sector-table", "material-table"):
        assert f'id="{table}"' in text
    assert (
        '<tr data-code="processing"><th scope="row">Processing</th>'
        '<td class="num">2</td><td class="num">€150.51</td></tr>'
    ) in text
    assert "may add up to more than the total" in text


def test_a_profile_change_replaces_the_cached_lists_and_figures(client, data):
    assert acronyms(client, "stage=refining") == []
    assert funding_by_facet("stages")["rows"][3]["smes"] == 0
    figures_before = client.get(reverse("public:figures")).content

    profile = data["refiner"].partner_profile
    matchmaking_services.save_profile(
        organisation=data["refiner"],
        actor=admin_of(data["refiner"]),
        summary=profile.summary,
        role_sought=profile.role_sought,
        stages=["refining"],
    )

    assert acronyms(client, "stage=refining") == ["FIRST"]
    assert client.get(reverse("public:figures")).content != figures_before

    matchmaking_services.unpublish_profile(profile=profile, actor=admin_of(data["refiner"]))
    assert acronyms(client, "stage=refining") == []


@pytest.mark.parametrize("query", ["", "stage=processing", "stage=processing&crm=cobalt"])
def test_facet_filters_keep_the_list_queries_fixed(client, data, django_assert_num_queries, query):
    with django_assert_num_queries(3):  # count, page, beneficiaries
        client.get(f"/api/v1/public/projects/?{query}")
    project(results_call(), [(data["both"], "1.00"), (data["refiner"], "1.00")])
    with django_assert_num_queries(3):
        client.get(f"/api/v1/public/projects/?{query}&page_size=3")
