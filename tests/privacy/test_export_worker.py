"""A real Celery worker on the real Redis builds the export a person asked for on the page, after
the request commits, and the outbox's task e-mails them. Needs REDIS_URL (CI sets it)."""

import json

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from minegap.notifications.models import Notification
from minegap.privacy.models import DataExport
from tests.auth import sign_in
from tests.factories import UserFactory
from tests.minegap.test_celery_worker import REDIS_URL, celery_app, wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is unset: no Redis to run a worker on."),
    pytest.mark.django_db(transaction=True),
]


def test_a_real_worker_builds_the_export_and_the_owner_is_emailed(client):
    ada = UserFactory(email="ada@alpha.example", full_name="Ada Lindqvist")
    sign_in(client, ada)

    with celery_app(REDIS_URL) as app, start_worker(app, perform_ping_check=False):
        response = client.post("/accounts/my-data/")
        export = DataExport.objects.get(user=ada)
        assert wait_for(
            lambda: Notification.objects.filter(
                template="privacy/export_ready", status=Notification.Status.SENT
            ).exists()
        ), "the worker did not build the export and send the e-mail in time"

    assert response.status_code == 302
    export.refresh_from_db()
    assert (export.status, export.progress) == ("ready", 100)
    with export.file.open("rb") as stored:
        document = json.load(stored)
    assert document["sections"]["accounts"]["account"]["full_name"] == "Ada Lindqvist"
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Your data is ready to download", ["ada@alpha.example"])
    ]
    page = client.get("/accounts/my-data/").content.decode()
    assert f'href="/accounts/my-data/{export.pk}/download/"' in page
