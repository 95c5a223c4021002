"""With Redis down, signing in still works (allauth's rate limits use the cache): the cache
backend treats an outage as an empty cache and logs it, instead of answering 500."""

import logging

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import override_settings

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.redis_server import start_redis_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def stopped_redis_cache(tmp_path):
    """The platform's Redis cache backend, pointed at a redis-server of our own, then stopped."""
    process, _client, port = start_redis_server(tmp_path)
    settings = {
        "BACKEND": "minegap.core.cache_backend.OutageTolerantRedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    with override_settings(CACHES={"default": settings}):
        cache.set("probe", "up")
        assert cache.get("probe") == "up"  # it really was Redis
        process.kill()
        process.wait()
        yield
    cache.close()


def test_a_person_signs_in_while_redis_is_down(client, stopped_redis_cache, caplog):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    with caplog.at_level(logging.WARNING, logger="minegap.core.cache_backend"):
        response = client.post(
            "/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD}
        )

    assert response.status_code == 302
    assert response.headers["Location"] == "/apply/organisations/"  # a newcomer registers one
    assert client.get("/dashboard/").status_code == 200
    assert any(r.getMessage().startswith("Cache ") for r in caplog.records)


def test_an_outage_reads_as_a_miss_and_keeps_nothing(stopped_redis_cache):
    assert cache.get("anything", "default") == "default"
    assert cache.add("lock", True) is True
    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.delete("key") is False
