"""A real Celery worker on the real Redis: outbox rows are sent after commit, and a broker
outage delays e-mails without losing them. Needs REDIS_URL (CI sets it)."""

import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.db import connections, transaction

from minegap.celery import app as minegap_app
from minegap.notifications import tasks
from minegap.notifications.models import Notification
from minegap.notifications.services import enqueue

REDIS_URL = os.environ.get("REDIS_URL", "")
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is unset: no Redis to run a worker on."),
    pytest.mark.django_db(transaction=True),
]


def _close_worker_connections(task=None, **kwargs) -> None:
    """The worker thread opens its own database connection: give it back after each task."""
    if not getattr(task.request, "is_eager", False):
        connections.close_all()


@contextmanager
def celery_app(broker_url: str) -> Iterator[Celery]:
    """A Celery app configured like minegap.celery but not eager, on `broker_url`, with a queue
    of its own (parallel test processes share the Redis database), made the current app."""
    app = Celery("minegap-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    queue = f"minegap-test-{uuid.uuid4().hex}"
    app.conf.update(
        broker_url=broker_url,
        task_always_eager=False,
        task_default_queue=queue,
        task_publish_retry=False,
        broker_connection_timeout=1,
        broker_connection_retry_on_startup=False,
        worker_hijack_root_logger=False,  # leave pytest's log capture alone
    )
    app.set_current()
    app.set_default()
    task_postrun.connect(_close_worker_connections)
    try:
        yield app
    finally:
        task_postrun.disconnect(_close_worker_connections)
        app.close()
        minegap_app.set_current()
        minegap_app.set_default()
        if broker_url == REDIS_URL:
            redis.Redis.from_url(REDIS_URL).delete(queue, f"_kombu.binding.{queue}")


def wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def queue_message() -> Notification:
    with transaction.atomic():
        (row,) = enqueue(
            template="notifications/test_message",
            subject="Worker test",
            recipients=["ann@example.eu"],
            context={"name": "Ann"},
        )
    return row


def is_sent(row: Notification) -> bool:
    return Notification.objects.get(pk=row.pk).status == Notification.Status.SENT


def test_a_real_worker_sends_the_notification_after_commit():
    with celery_app(REDIS_URL) as app, start_worker(app, perform_ping_check=False):
        row = queue_message()
        assert wait_for(lambda: is_sent(row)), "the worker did not send the e-mail in time"

    assert [(m.subject, m.to) for m in mail.outbox] == [("Worker test", ["ann@example.eu"])]
    assert Notification.objects.get(pk=row.pk).attempts == 1


def test_a_broker_outage_delays_the_email_but_never_loses_it(caplog):
    with celery_app(UNREACHABLE_BROKER), caplog.at_level(logging.ERROR):
        row = queue_message()  # the commit succeeds although the task cannot be published

    (failure,) = [r for r in caplog.records if "in on_commit()" in r.getMessage()]
    assert failure.exc_info[0].__name__ == "OperationalError"  # kombu: broker unreachable
    row.refresh_from_db()
    assert (row.status, row.attempts, mail.outbox) == (Notification.Status.PENDING, 0, [])

    # Redis is back: the periodic task (beat, every minute) picks the row up.
    with celery_app(REDIS_URL) as app, start_worker(app, perform_ping_check=False):
        tasks.send_pending_notifications.delay()
        assert wait_for(lambda: is_sent(row)), "the periodic task did not resend the e-mail"

    assert [m.to for m in mail.outbox] == [["ann@example.eu"]]


def test_the_command_line_worker_loads_the_project(tmp_path):
    """`celery -A minegap worker` (as in production and `make worker`) finds the settings and
    the tasks; on PostgreSQL it also sends a pending row from the test database."""
    queue = f"minegap-test-{uuid.uuid4().hex}"
    database = connections["default"].settings_dict
    env = {**os.environ, "REDIS_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "minegap.settings.test"}
    on_postgresql = database["ENGINE"] == "django.db.backends.postgresql"
    if on_postgresql:  # the worker process uses the test database (committed rows)
        password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
        env["DATABASE_URL"] = (
            f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        )
    log = tmp_path / "worker.log"
    celery = Path(sys.executable).with_name("celery")
    command = [str(celery), "-A", "minegap", "worker", "--pool=solo", "-Q", queue]
    command += ["--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=INFO"]
    command += ["-n", f"{queue}@%h"]
    with log.open("wb") as output:
        worker = subprocess.Popen(  # noqa: S603 (our own executable and arguments)
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        assert wait_for(lambda: " ready." in log.read_text(), timeout=60), log.read_text()
        banner = log.read_text()
        assert "minegap.notifications.tasks.send_notification" in banner
        assert "minegap.notifications.tasks.send_pending_notifications" in banner

        if on_postgresql:
            with celery_app(UNREACHABLE_BROKER):
                row = queue_message()
            with celery_app(REDIS_URL) as app:
                app.conf.task_default_queue = queue
                tasks.send_pending_notifications.delay()
            assert wait_for(lambda: is_sent(row), timeout=30), log.read_text()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        redis.Redis.from_url(REDIS_URL).delete(queue, f"_kombu.binding.{queue}")
