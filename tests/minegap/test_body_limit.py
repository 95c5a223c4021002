"""A request body larger than the site accepts is refused with 413 from its Content-Length,
before anything reads it; the documented server and proxy settings hold the same limits."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from calls.forms.call import AttachmentRequirementForm

ROOT = Path(__file__).resolve().parents[2]
TOO_LARGE = str(21 * 1024 * 1024 + 1)


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_the_site_accepts_bodies_up_to_21_mb_and_keeps_form_fields_small():
    assert (
        settings.MAX_REQUEST_BODY,
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
    ) == (21 * 1024 * 1024, 2_621_440, 2_621_440)
    assert settings.MIDDLEWARE[0] == "minegap.core.body_limit.RequestBodyLimitMiddleware"


@pytest.mark.django_db
def test_a_page_refuses_an_oversized_body_before_reading_it(client):
    response = client.post(
        reverse("account_login"),
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=TOO_LARGE,
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413
    assert response.content.decode() == (
        "The request is larger than 21 MB, the most this site accepts."
    )


@pytest.mark.django_db
def test_the_api_refuses_an_oversized_body_in_json(client):
    response = client.post(
        "/api/v1/public/stats/",
        content_type="application/json",
        CONTENT_LENGTH=TOO_LARGE,
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request is larger than 21 MB, the most this site accepts."
    }


@pytest.mark.django_db
def test_a_body_within_the_limit_reaches_the_view(client):
    response = client.post(reverse("account_login"), {"login": "a@example.eu", "password": "x"})

    assert response.status_code == 200  # the log-in form, with its error


@pytest.mark.django_db
def test_an_attachment_cannot_be_allowed_more_than_the_largest_upload():
    data = {"label": "Work plan", "allowed_types": ["pdf"], "required": True, "order": 1}
    too_large = AttachmentRequirementForm(data={**data, "max_size_mb": 21})
    largest = AttachmentRequirementForm(data={**data, "max_size_mb": 20})

    assert too_large.errors["max_size_mb"] == ["Ensure this value is less than or equal to 20."]
    assert largest.is_valid(), largest.errors


def test_gunicorn_and_the_nginx_example_bound_requests_too():
    dockerfile = (ROOT / "Dockerfile").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()
    readme = (ROOT / "README.md").read_text()
    for text in (dockerfile, compose):
        for flag in (
            "--limit-request-line",
            "--limit-request-fields",
            "--limit-request-field_size",
        ):
            assert flag in text
    assert re.findall(r"client_max_body_size (\S+);", readme) == ["21m"]
