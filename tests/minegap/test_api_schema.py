"""The OpenAPI schema documents every app's API and generates without errors or warnings."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_generates_without_warnings_and_covers_every_api():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    paths = set(yaml.safe_load(out.getvalue())["paths"])
    expected = {
        "/api/v1/me/",
        "/api/v1/calls/",
        "/api/v1/applications/{id}/submit/",
        "/api/v1/partners/",
        "/api/v1/calls/{slug}/ranking/",
        "/api/v1/applications/{id}/results/",
        "/api/v1/public/stats/",
    }
    assert expected - paths == set()
