"""The directory's facet values are documented as what the API answers: codes and numbers."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework.test import APIClient

from tests.matchmaking.factories import admin_of, make_org, make_profile

pytestmark = pytest.mark.django_db


def test_facet_values_are_strings_or_numbers_in_the_schema_and_the_answer():
    schema = json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
    profile = make_profile(make_org("Arctic Adopter Oy", "FI"), trl=6)
    api = APIClient()
    api.force_authenticate(admin_of(profile.organisation))

    facets = api.get("/api/v1/partners/", {"facets": "1"}).json()["facets"]

    assert schema["components"]["schemas"]["FacetValue"]["properties"]["value"]["oneOf"] == [
        {"type": "string"},
        {"type": "integer"},
    ]
    assert [(f["value"], f["count"]) for f in facets["trl"]] == [(6, 1)]
    assert [(f["value"], f["count"]) for f in facets["country"]] == [("FI", 1)]
