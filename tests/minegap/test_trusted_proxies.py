"""The client's address, the key of every rate limit, comes from TRUSTED_PROXIES alone: a forged
X-Forwarded-For neither dodges the API's anonymous limit nor the log-in limits."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from rest_framework.throttling import AnonRateThrottle

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_per_minute(monkeypatch):
    cache.clear()  # the throttle's history lives in the cache
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})


def settings_with(**env: str) -> str:
    """The proxy settings that minegap.settings.base computes from this environment."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(ROOT), **env}
    code = (
        "from minegap.settings import base; "
        "print(base.TRUSTED_PROXIES, base.REST_FRAMEWORK['NUM_PROXIES'], "
        "base.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_no_proxy_is_trusted_by_default_and_one_setting_feeds_drf_and_allauth():
    assert settings_with() == "0 0 0"
    assert settings_with(TRUSTED_PROXIES="1") == "1 1 1"


@pytest.mark.django_db
def test_a_new_forged_forwarded_for_on_each_request_does_not_reset_the_anonymous_limit(
    client, two_per_minute
):
    codes = [
        client.get("/api/v1/public/stats/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(1, 5)
    ]

    assert codes == [200, 200, 429, 429]


@pytest.mark.django_db
def test_behind_one_proxy_the_limit_keys_on_the_address_the_proxy_appended(client, two_per_minute):
    rest = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    with override_settings(REST_FRAMEWORK=rest, TRUSTED_PROXIES=1, ALLAUTH_TRUSTED_PROXY_COUNT=1):
        # The client forges the left part; the proxy appends the address it saw.
        forged = [
            client.get(
                "/api/v1/public/stats/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9"
            ).status_code
            for n in range(1, 4)
        ]
        someone_else = client.get(
            "/api/v1/public/stats/", HTTP_X_FORWARDED_FOR="203.0.113.10"
        ).status_code

    assert forged == [200, 200, 429]
    assert someone_else == 200
