"""A beneficiary refusing the agreement while staff vacate the same selection: both paths lock
the call before the voucher, so one waits for the other instead of a deadlock (PostgreSQL
would abort one of them with a 500); the second is refused with a message. No stand-in: the
race is set up with the database's own row lock."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from calls.models import ApplicationState, Call
from evaluation.models import ReserveMove
from evaluation.services import reserve as reserve_services
from tests.evaluation.decision_factories import adopt, ready_call
from tests.factories import DEFAULT_PASSWORD, MembershipFactory
from vouchers import services
from vouchers.models import Voucher, VoucherState

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: PostgreSQL only"
)


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _until_waiting(count: int) -> None:
    deadline = time.monotonic() + 30
    while _waiting_on_a_lock() < count:
        assert time.monotonic() < deadline, f"{count} transactions never waited on a lock"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_refusal_and_staff_vacate_at_once_do_not_deadlock(staff):
    """The test holds the call's row lock while staff's vacate, then the refusal, queue for
    it; released, staff go first. A refusal that locked the voucher before the call would now
    hold the voucher staff need while waiting for the call staff hold: a deadlock."""
    ready = ready_call()
    adopt(ready, staff)
    application = ready.apps[1]
    voucher = Voucher.objects.get(application=application)
    share = voucher.shares.order_by("pk").first()
    admin = MembershipFactory(organisation=share.organisation).user
    outcomes, errors = [], []

    def run(call):
        try:
            outcomes.append(call())
        except ValidationError as error:
            errors.append(error)
        except Exception as error:  # a deadlock: what this test is about
            errors.append(error)
        finally:
            connections.close_all()

    def refuse():
        return services.refuse_share(
            share=share, actor=admin, password=DEFAULT_PASSWORD, reason="We cannot start."
        )

    def vacate():
        return reserve_services.vacate_selection(
            application=application, actor=staff, reason="Found ineligible later."
        )

    threads = [threading.Thread(target=run, args=(c,)) for c in (vacate, refuse)]
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=application.call_id)
        for waiting, thread in enumerate(threads, start=1):
            thread.start()
            _until_waiting(waiting)
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError), repr(errors[0])
    application.refresh_from_db()
    assert application.state == ApplicationState.REJECTED
    assert ReserveMove.objects.filter(vacated=application).count() == 1
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.TERMINATED
