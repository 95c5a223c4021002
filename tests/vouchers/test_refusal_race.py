"""A beneficiary refusing the agreement while staff vacate the same selection: both paths lock
the call before the voucher, so one waits for the other instead of a deadlock (PostgreSQL
would abort one of them with a 500); the second is refused with a message."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from calls.models import ApplicationState
from evaluation.models import ReserveMove
from evaluation.services import reserve as reserve_services
from tests.evaluation.decision_factories import adopt, ready_call
from tests.factories import DEFAULT_PASSWORD, MembershipFactory
from vouchers import services
from vouchers.models import Voucher, VoucherState
from vouchers.services import agreements

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: PostgreSQL only"
)


@pytest.mark.django_db(transaction=True)
def test_refusal_and_staff_vacate_at_once_do_not_deadlock(staff, monkeypatch):
    ready = ready_call()
    adopt(ready, staff)
    application = ready.apps[1]
    voucher = Voucher.objects.get(application=application)
    share = voucher.shares.order_by("pk").first()
    admin = MembershipFactory(organisation=share.organisation).user
    refusing = threading.Event()
    original = agreements.vacate_selection

    def slow_vacate(**kwargs):
        refusing.set()  # the refusal holds its locks; staff now try to vacate
        time.sleep(0.5)
        return original(**kwargs)

    monkeypatch.setattr(agreements, "vacate_selection", slow_vacate)
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
        refusing.wait(timeout=10)
        return reserve_services.vacate_selection(
            application=application, actor=staff, reason="Found ineligible later."
        )

    threads = [threading.Thread(target=run, args=(c,)) for c in (refuse, vacate)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError), repr(errors[0])
    application.refresh_from_db()
    assert application.state == ApplicationState.REJECTED
    assert ReserveMove.objects.filter(vacated=application).count() == 1
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.TERMINATED
