"""A Redis outage costs nothing but speed: a write whose change invalidates the public cache
still commits (its e-mail is queued), the failure is logged, and the public pages still answer.
Runs its own redis-server, so stopping it leaves the machine's Redis alone."""

import logging
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis
from django.test import override_settings
from django.urls import reverse

from calls import services
from calls.models import ConsortiumMember, MemberStatus
from minegap.notifications.models import Notification
from tests.calls.factories import CallFactory
from tests.factories import MembershipFactory
from tests.redis_server import start_redis_server

pytestmark = pytest.mark.django_db


@dataclass
class OwnRedis:
    process: subprocess.Popen
    client: redis.Redis

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def own_redis(tmp_path) -> Iterator[OwnRedis]:
    """A redis-server of this test's own, made the default cache."""
    process, probe, port = start_redis_server(tmp_path)
    cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    server = OwnRedis(process, probe)
    # Restored when this fixture ends, before the others empty "the" cache.
    with override_settings(CACHES={"default": cache}):
        yield server
    server.stop()


def test_inviting_a_partner_while_redis_is_down_commits_the_invitation_and_logs_the_cache_failure(
    client, own_redis, caplog, django_capture_on_commit_callbacks
):
    membership = MembershipFactory()
    application = services.create_application(
        call=CallFactory(), organisation=membership.organisation, actor=membership.user
    )
    assert client.get("/api/v1/public/stats/").status_code == 200
    assert own_redis.client.dbsize() > 0  # the public figures were cached in this Redis
    own_redis.stop()
    client.force_login(membership.user)

    with (
        caplog.at_level(logging.WARNING, logger="minegap.core.cache"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("calls:apply-step", kwargs={"pk": application.pk, "step": "consortium"}),
            {"action": "invite_email", "email": "new.partner@example.eu"},
        )

    assert response.status_code == 302
    member = ConsortiumMember.objects.get(application=application, organisation__isnull=True)
    assert (member.invited_email, member.status) == ("new.partner@example.eu", MemberStatus.INVITED)
    assert Notification.objects.filter(
        template="calls/invitation_register", email="new.partner@example.eu"
    ).exists()
    failures = [r.getMessage() for r in caplog.records if r.name == "minegap.core.cache"]
    assert failures
    # The public figures' version and the page cache's, both replaced by the change.
    assert {m.split(",")[0] for m in failures} == {
        "Cache set failed for 'public'",
        "Cache set failed for 'pages'",
    }


def test_public_pages_answer_while_redis_is_down(client, own_redis, caplog):
    own_redis.stop()

    with caplog.at_level(logging.WARNING):
        stats = client.get("/api/v1/public/stats/")
        projects = client.get(reverse("public:projects"))

    assert (stats.status_code, projects.status_code) == (200, 200)
    loggers = {r.name for r in caplog.records if r.levelno == logging.WARNING}
    assert {"minegap.core.cache", "minegap.core.throttling"} <= loggers
