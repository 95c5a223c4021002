"""Security headers (issue #11, 9): Permissions-Policy on every answer; the API documentation pages
with a language and a Content-Security-Policy of their own that allows scripts from 'self' only."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/api/v1/public/projects/", "/api/docs/", "/api/redoc/"])
def test_every_answer_denies_camera_microphone_and_location(client, url):
    policy = client.get(url)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_have_a_language_and_scripts_from_self_only(client, url):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    # Every script is a file of this site: no inline script, nothing from another host.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/' in attrs and body.strip() == "" for attrs, body in scripts)
    assert "googleapis" not in html and "https://" not in html


def test_swagger_uis_start_up_script_is_a_file(client):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_pages_keep_the_strict_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
