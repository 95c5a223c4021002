"""Clicks on "Prepare my data" from several tabs at once start one export (the person's row is
locked before the check; meaningful on PostgreSQL, serial on SQLite)."""

import logging
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from minegap.privacy import services
from minegap.privacy.models import DataExport
from tests.factories import UserFactory
from tests.minegap.test_celery_worker import UNREACHABLE_BROKER, celery_app

CLICKS = 4


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_start_one_export(caplog):
    ada = UserFactory()
    # SQLite's shared in-memory test database refuses concurrent writers: there the calls run
    # one after the other, which checks the same rule without the race.
    concurrent = connection.vendor == "postgresql"
    barrier = threading.Barrier(CLICKS if concurrent else 1)
    outcomes: list[str] = []

    def click() -> None:
        barrier.wait()
        try:
            services.request_export(user=ada)
            outcomes.append("started")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    # No worker takes the task (its broker is unreachable), so the first export stays queued
    # while the other clicks arrive, as it would while a busy worker has not started it yet.
    with celery_app(UNREACHABLE_BROKER), caplog.at_level(logging.CRITICAL):
        threads = [threading.Thread(target=click) for _ in range(CLICKS)]
        for thread in threads:
            thread.start()
            if not concurrent:
                thread.join(timeout=30)
        for thread in threads:
            thread.join(timeout=30)

    refusal = "A copy of your data is being prepared: wait until it is ready before asking again."
    assert sorted(outcomes) == [refusal] * (CLICKS - 1) + ["started"]
    assert list(DataExport.objects.filter(user=ada).values_list("status", flat=True)) == ["queued"]
