"""The container healthcheck script (`python -m minegap.core.healthcheck`)."""

import pytest

from minegap.core import healthcheck


def test_request_uses_the_first_allowed_host_and_claims_https():
    request = healthcheck.health_request("http://127.0.0.1:8000/healthz", ".example.org, other.eu")

    assert request.full_url == "http://127.0.0.1:8000/healthz"
    assert request.get_header("Host") == "example.org"
    assert request.get_header("X-forwarded-proto") == "https"


def test_request_without_usable_allowed_hosts_sends_no_host_header():
    request = healthcheck.health_request("http://127.0.0.1:8000/healthz", "*")

    assert request.get_header("Host") is None


def test_unreachable_server_is_unhealthy(monkeypatch, capsys):
    monkeypatch.setenv("HEALTHCHECK_URL", "http://127.0.0.1:1/healthz")

    assert healthcheck.main() == 1
    assert capsys.readouterr().err.startswith("unhealthy: ")


@pytest.mark.django_db(transaction=True)
def test_live_server_is_healthy(live_server, monkeypatch, settings, capsys):
    settings.REDIS_URL = ""
    monkeypatch.setenv("HEALTHCHECK_URL", f"{live_server.url}/healthz")
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org")

    assert healthcheck.main() == 0
    assert capsys.readouterr().out.strip() == '{"status": "ok", "database": "ok"}'


@pytest.mark.django_db(transaction=True)
def test_live_server_with_redis_down_is_unhealthy(live_server, monkeypatch, settings, capsys):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setenv("HEALTHCHECK_URL", f"{live_server.url}/healthz")

    assert healthcheck.main() == 1
    assert '"redis": "error: ConnectionError"' in capsys.readouterr().out
