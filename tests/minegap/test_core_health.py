"""/healthz: what a load balancer and `docker compose` healthchecks ask."""

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def database_down(execute, sql, params, many, context):
    """A query wrapper (Django's documented hook) that refuses every query, as a database that
    is down would."""
    raise ConnectionRefusedError("database is down")


def test_healthz_reports_the_database_ok_without_redis(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )


def test_healthz_answers_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "redis": "error: ConnectionError",
    }


def test_healthz_answers_503_when_the_database_is_down(client, settings):
    settings.REDIS_URL = ""

    with connection.execute_wrapper(database_down):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error: ConnectionRefusedError"}


def test_healthz_only_answers_get(client):
    response = client.post("/healthz")

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"


# The check against a real Redis exists where one is configured (CI sets REDIS_URL).
if os.environ.get("REDIS_URL"):

    def test_healthz_reports_redis_ok_when_it_answers(client, settings):
        settings.REDIS_URL = os.environ["REDIS_URL"]

        response = client.get("/healthz")

        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}
