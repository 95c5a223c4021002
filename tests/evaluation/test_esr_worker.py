"""The ESR task on a real Celery worker and Redis: the reports are rendered, stored and their
e-mails sent by the worker, once. Needs REDIS_URL (CI sets it)."""

from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from evaluation import tasks
from evaluation.models import EvaluationSummaryReport, ResultsPublication
from minegap.notifications.models import Notification
from tests.evaluation.results_factories import decided_call
from tests.minegap.test_celery_worker import REDIS_URL, celery_app, wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is unset: no Redis to run a worker on."),
    pytest.mark.django_db(transaction=True),
]


def test_a_real_worker_generates_and_sends_the_reports_once():
    decided = decided_call()
    now = timezone.now()
    ResultsPublication.objects.create(
        call=decided.call, published_at=now, redress_closes_at=now + timedelta(days=30)
    )

    def unlocked(predicate):
        def check() -> bool:
            try:
                return predicate()
            except OperationalError:  # SQLite's shared in-memory database: the worker's lock
                return False

        return check

    all_sent = unlocked(
        lambda: (
            EvaluationSummaryReport.objects.filter(emailed_at__isnull=False).count() == 4
            and Notification.objects.filter(status=Notification.Status.SENT).count() == 1
        )
    )

    with celery_app(REDIS_URL) as app, start_worker(app, perform_ping_check=False):
        tasks.generate_summary_reports.delay(decided.call.pk)
        assert wait_for(all_sent, timeout=60), "the worker did not send the reports in time"
        tasks.generate_summary_reports.delay(decided.call.pk)  # a retry: nothing new
        assert not wait_for(unlocked(lambda: Notification.objects.count() > 1), timeout=3)

    (message,) = mail.outbox
    assert message.to == [decided.admin.email]
    assert [(name, kind) for name, _content, kind in message.attachments] == [
        (f"{decided.selected.reference}-evaluation-summary-report.pdf", "application/pdf")
    ]
