"""Registering, moving a meeting and cancelling an event queue their e-mails before they append
to the ledger, so that the chain's head lock is the last thing their transaction takes
(tests/ledger_order.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from events import brokerage, meeting_outcomes, registration, services
from events.models import Meeting
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.events.brokerage_factories import BrokerageEventFactory, grid, participant
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory, UserFactory
from tests.ledger_order import after_the_head_lock

pytestmark = pytest.mark.django_db


def _last_entry_and_mail() -> tuple[str, str]:
    return (
        AuditEntry.objects.latest("seq").action,
        Notification.objects.latest("pk").template,
    )


def test_registering_queues_the_mail_then_appends_to_the_ledger():
    event = EventFactory()
    user = MembershipFactory().user

    with CaptureQueriesContext(connection) as queries:
        registration.register(event=event, user=user)

    assert after_the_head_lock(queries) == []
    assert _last_entry_and_mail() == ("events.registration.confirmed", "events/registered")


def test_moving_a_meeting_queues_the_mail_then_appends_to_the_ledger():
    event = BrokerageEventFactory()
    grid(event, tables=2)
    a, b = participant(event), participant(event)
    request = brokerage.request_meeting(requester=a, addressee=b, actor=a.user)
    brokerage.accept_meeting(meeting_request=request, actor=b.user)
    staff = UserFactory(roles=[roles.STAFF])

    with CaptureQueriesContext(connection) as queries:
        meeting_outcomes.move_meeting(
            meeting=Meeting.objects.get(request=request), actor=staff, slot=2, table=2
        )

    assert after_the_head_lock(queries) == []
    assert _last_entry_and_mail() == ("events.meeting.moved", "events/meeting_moved")


def test_cancelling_an_event_queues_the_mail_then_appends_to_the_ledger():
    event = EventFactory()
    registration.register(event=event, user=MembershipFactory().user)
    staff = UserFactory(roles=[roles.STAFF])

    with CaptureQueriesContext(connection) as queries:
        services.cancel_event(event=event, actor=staff)

    assert after_the_head_lock(queries) == []
    assert _last_entry_and_mail() == ("events.event.cancelled", "events/event_cancelled")
