"""The API keeps its OpenAPI contract under fuzzing (schemathesis).

Every operation of the schema is called with generated input, valid and invalid, in-process
through Django's WSGI handler, against the demo data: as an anonymous caller, and as staff with a
token created after the second factor. Each answer must not be a server error, must have a
documented status code, and its body must match the documented schema.

Generation is deterministic (derandomized, no example database), so a run repeats exactly; the
number of examples bounds its cost (about a minute of CPU for both callers). Each operation is
its own test, so xdist spreads them. (schemathesis' own pytest integration gives every operation
the same node id under pytest 9, which xdist's group scheduling collapses into one test; its
documented `as_strategy` with Hypothesis' `given` does not depend on it.)
"""

import json
from io import StringIO

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from accounts import services
from accounts.models import Organisation, User
from calls.models import Application, Call
from evaluation.models import Assignment
from events.models import Event
from matchmaking.models import ExpressionOfInterest, PartnerProfile
from vouchers.models import Instalment, Payment, Voucher

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
STAFF_EMAIL = "staff@minegap.eu"  # a demo person (accounts.demo_data), with TOTP
# An anonymous caller mostly meets the authentication wall: a few examples per operation. Staff
# get past it: more.
ANONYMOUS_EXAMPLES = 5
STAFF_EXAMPLES = 15

# What the one path parameter of the operations under each prefix names (longest prefix wins).
PATH_OBJECTS = {
    "/api/v1/applications/": (Application, "pk"),
    "/api/v1/calls/": (Call, "slug"),
    "/api/v1/evaluate/assignments/": (Assignment, "pk"),
    "/api/v1/events/": (Event, "pk"),
    "/api/v1/interests/": (ExpressionOfInterest, "pk"),
    "/api/v1/manage/calls/": (Call, "slug"),
    "/api/v1/manage/instalments/": (Instalment, "pk"),
    "/api/v1/manage/payments/": (Payment, "pk"),
    "/api/v1/manage/vouchers/": (Voucher, "pk"),
    "/api/v1/partners/": (PartnerProfile, "pk"),
    "/api/v1/public/events/": (Event, "pk"),
    "/api/v1/partners/blocks/": (Organisation, "pk"),
    "/api/v1/vouchers/": (Voucher, "pk"),
}


def existing_values(path: str) -> list:
    prefix = max((p for p in PATH_OBJECTS if path.startswith(p)), key=len)
    model, field = PATH_OBJECTS[prefix]
    return list(model.objects.order_by(field).values_list(field, flat=True)[:20])


def sampled_or_nothing(values: list) -> st.SearchStrategy:
    return st.sampled_from(values) if values else st.nothing()


def flatmap_path_parameters(context, path_parameters: dict) -> st.SearchStrategy:
    """Half the time, the path names a real object of the demo data: random ids and slugs
    alone would only ever meet a 404. (Drawn during the test, so the database is at hand.)"""
    if not path_parameters:
        return st.just(path_parameters)
    (name,) = path_parameters
    real = st.deferred(lambda: sampled_or_nothing(existing_values(context.operation.path)))
    return st.one_of(st.just(path_parameters), real.map(lambda value: {name: value}))


def load_schema() -> schemathesis.BaseSchema:
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    schema.app = WSGIHandler()
    schema.hook(flatmap_path_parameters)
    return schema


SCHEMA = load_schema()
OPERATIONS = [result.ok().label for result in SCHEMA.get_all_operations()]


def fuzz(label: str, *, max_examples: int, headers: dict[str, str] | None = None) -> None:
    operation = SCHEMA.find_operation_by_label(label)
    cases = st.one_of(
        operation.as_strategy(mode, hooks=SCHEMA.hooks)
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
    )

    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def call(case) -> None:
        case.call_and_validate(checks=CHECKS, headers=headers)

    call()


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module in a transaction rolled back at its end (each
    test's own changes roll back to a savepoint). Requests run in-process on the test's database
    connection, which Django must not close between requests (as its test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            yield
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_headers(demo_data, db) -> dict[str, str]:
    staff = User.objects.get(email=STAFF_EMAIL)
    _token, secret = services.api_token_create(user=staff, name="schemathesis", session_mfa=True)
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("label", OPERATIONS)
def test_anonymous_caller(label, demo_data, db):
    fuzz(label, max_examples=ANONYMOUS_EXAMPLES)


@pytest.mark.parametrize("label", OPERATIONS)
def test_staff_with_a_second_factor_token(label, staff_headers):
    fuzz(label, max_examples=STAFF_EXAMPLES, headers=staff_headers)


def test_the_staff_token_passes_the_staff_endpoints_wall(client, staff_headers):
    """Else the fuzzing above would only ever meet 401 and 403 on the staff endpoints."""
    response = client.get("/api/v1/manage/vouchers/", headers=staff_headers)

    assert response.status_code == 200
    assert [row["agreement_number"] for row in response.json()["results"]] == [
        "VA-MTG-OC1-0001",
        "VA-MTG-OC1-0002",
        "VA-MTG-OC1-0003",
        "VA-MTG-OC1-0004",
        "VA-MTG-OC1-0006",
    ]
