"""The directory's query string is read by a django-filter FilterSet (page and API): the same
messages as before, parameters documented in the OpenAPI schema."""

import json

import pytest
from django.http import QueryDict
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework.test import APIClient

from matchmaking import directory
from matchmaking.filters import PartnerFilterSet, partner_filters
from tests.matchmaking.factories import admin_of, make_org, make_profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("country=ZZ", {"country": ["Unknown country code."]}),
        ("stage=moon,extraction,sun", {"stage": ["Unknown value: moon, sun."]}),
        ("material=kryptonite", {"material": ["Unknown value: kryptonite."]}),
        ("trl=11", {"trl": ["Unknown value: 11."]}),
        ("role=investor", {"role": ["Unknown value: investor."]}),
        ("nuts=F!", {"nuts": ["A NUTS code has 2 to 5 letters and digits, e.g. FI1D7."]}),
        ("call=first", {"call": ["A call is given by its number."]}),
        ("sort=random", {"sort": ["Sort by relevance, name or newest."]}),
        ("q=" + "x" * 201, {"q": ["Keep the search under 200 characters."]}),
        ("country=" + ",".join(["FI"] * 41), {"country": ["Too many values."]}),
        (
            "country=ZZ&sort=random",
            {"country": ["Unknown country code."], "sort": ["Sort by relevance, name or newest."]},
        ),
    ],
)
def test_the_api_answers_400_with_each_parameters_message(query, errors):
    profile = make_profile(make_org("Arctic Adopter Oy", "FI"))
    api = APIClient()
    api.force_authenticate(admin_of(profile.organisation))

    response = api.get(f"/api/v1/partners/?{query}")

    assert response.status_code == 400
    assert response.json() == errors


def test_values_repeat_or_separate_by_commas_and_are_normalised():
    filters = partner_filters(
        QueryDict(
            "country=se, fi&country=EL&nuts=fi1d7&trl=5,7&trl=5&call=12&q=  sensor &sort=name"
        )
    )

    assert filters == directory.PartnerFilters(
        q="sensor",
        country=["SE", "FI", "GR"],
        nuts=["FI1D7"],
        trl=[5, 7],
        call=[12],
        sort="name",
    )


def test_facet_counts_are_asked_for_by_a_boolean_parameter():
    profile = make_profile(make_org("Arctic Adopter Oy", "FI"))
    api = APIClient()
    api.force_authenticate(admin_of(profile.organisation))

    assert "facets" in api.get("/api/v1/partners/?facets=true").json()
    assert "facets" in api.get("/api/v1/partners/?facets=Yes").json()
    assert "facets" not in api.get("/api/v1/partners/?facets=false").json()
    assert "facets" not in api.get("/api/v1/partners/").json()


def test_every_filter_is_a_parameter_of_the_partners_list_in_the_schema():
    schema = json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/partners/"]["get"]["parameters"]}

    assert set(PartnerFilterSet.base_filters) == {
        "q",
        "country",
        "nuts",
        "stage",
        "sector",
        "material",
        "role",
        "trl",
        "call",
        "sort",
        "facets",
    }
    assert set(PartnerFilterSet.base_filters) <= set(parameters)
    assert parameters["stage"]["schema"] == {
        "type": "array",
        "items": {
            "type": "string",
            "enum": [
                "exploration",
                "extraction",
                "processing",
                "refining",
                "manufacturing",
                "recycling",
                "remediation",
            ],
        },
    }
    assert parameters["trl"]["schema"]["items"] == {"type": "integer", "minimum": 1, "maximum": 9}
    assert parameters["sort"]["schema"]["enum"] == ["name", "newest", "relevance"]
    assert parameters["facets"]["schema"] == {"type": "boolean"}
