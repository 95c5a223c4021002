"""Every operation documents the errors it can answer, with one body shape (minegap.core.api)."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework import exceptions

from minegap.core.api import exception_handler
from tests.public.factories import project, results_call, sme

ERROR = {"$ref": "#/components/schemas/Error"}
VALIDATION_ERROR = {"$ref": "#/components/schemas/ValidationError"}


@pytest.fixture(scope="module")
def openapi() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def responses(openapi: dict, method: str, path: str) -> dict:
    return openapi["paths"][path][method]["responses"]


def body_schema(response: dict) -> dict:
    return response["content"]["application/json"]["schema"]


@pytest.mark.parametrize(
    ("method", "path", "codes"),
    [
        # Needs a signed-in person, takes no input.
        ("get", "/api/v1/me/", ["200", "401", "403"]),
        # Public and throttled, takes no input.
        ("get", "/api/v1/public/stats/", ["200", "429"]),
        # Public, throttled, takes filters and a page.
        ("get", "/api/v1/public/projects/", ["200", "400", "404", "429"]),
        # Staff only, an id in the path.
        ("get", "/api/v1/manage/vouchers/{id}/", ["200", "400", "401", "403", "404"]),
        # A write without a body: the service may refuse.
        ("post", "/api/v1/applications/{id}/withdraw/", ["200", "400", "401", "403", "404"]),
        (
            "delete",
            "/api/v1/partners/blocks/{organisation_id}/",
            ["204", "400", "401", "403", "404"],
        ),
    ],
)
def test_each_operation_documents_the_errors_it_can_answer(openapi, method, path, codes):
    assert list(responses(openapi, method, path)) == codes


def test_errors_share_two_components(openapi):
    documented = responses(openapi, "get", "/api/v1/manage/vouchers/{id}/")

    assert [body_schema(documented[code]) for code in ("400", "401", "403", "404")] == [
        VALIDATION_ERROR,
        ERROR,
        ERROR,
        ERROR,
    ]
    assert body_schema(responses(openapi, "get", "/api/v1/public/stats/")["429"]) == ERROR
    assert openapi["components"]["schemas"]["Error"]["required"] == ["detail"]
    validation = openapi["components"]["schemas"]["ValidationError"]
    assert (validation["type"], list(validation["properties"])) == ("object", ["detail"])


def test_an_operation_keeps_its_own_error_body_and_description(openapi):
    submit = responses(openapi, "post", "/api/v1/applications/{id}/submit/")
    payment = responses(openapi, "post", "/api/v1/manage/payments/")

    assert body_schema(submit["400"]) == {"$ref": "#/components/schemas/SubmissionProblems"}
    # It described its 400 but gave no body: the shared one is added.
    assert payment["400"] == {
        "description": "Rule broken, or the key names another payment.",
        "content": {"application/json": {"schema": VALIDATION_ERROR}},
    }


@pytest.mark.django_db
def test_an_anonymous_caller_gets_a_documented_403_with_a_detail(client, openapi):
    response = client.get("/api/v1/me/")

    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert body_schema(responses(openapi, "get", "/api/v1/me/")["403"]) == ERROR


def test_a_bare_validation_message_is_answered_as_an_object():
    response = exception_handler(exceptions.ValidationError("No such thing."), {})

    assert (response.status_code, response.data) == (400, {"detail": ["No such thing."]})


def test_project_dates_are_documented_as_nullable(openapi):
    project_schema = openapi["components"]["schemas"]["Project"]["properties"]

    assert project_schema["start_date"]["nullable"] is True
    assert project_schema["end_date"]["nullable"] is True


@pytest.mark.django_db
def test_a_funded_project_without_a_voucher_has_null_dates(client):
    project(results_call(slug="call-a"), [(sme("FI"), "1000.00")], acronym="NOVOUCHER")

    row = client.get("/api/v1/public/projects/").json()["results"][0]

    assert (row["acronym"], row["start_date"], row["end_date"]) == ("NOVOUCHER", None, None)
