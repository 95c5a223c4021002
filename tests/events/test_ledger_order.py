"""Registering, cancelling a registration, accepting, moving and scheduling meetings and
cancelling an event write their rows and queue their e-mails before they append to the ledger,
so that the chain's head lock is the last thing their transaction takes (tests/ledger_order.py);
a service writing several entries appends them at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from events import brokerage, meeting_outcomes, registration, services
from events.models import Meeting, RegistrationStatus
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.events.brokerage_factories import BrokerageEventFactory, grid, participant
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory, UserFactory
from tests.ledger_order import after_the_head_lock, appends

pytestmark = pytest.mark.django_db


def _last_entry_and_mail() -> tuple[str, str]:
    return (
        AuditEntry.objects.latest("seq").action,
        Notification.objects.latest("pk").template,
    )


def _last_entries(count: int) -> list[tuple[str, str]]:
    rows = AuditEntry.objects.order_by("-seq").values_list("action", "target_id")
    return list(rows[:count])[::-1]


def test_registering_queues_the_mail_then_appends_to_the_ledger():
    event = EventFactory()
    user = MembershipFactory().user

    with CaptureQueriesContext(connection) as queries:
        registration.register(event=event, user=user)

    assert after_the_head_lock(queries) == []
    assert _last_entry_and_mail() == ("events.registration.confirmed", "events/registered")


def test_cancelling_a_registration_frees_meetings_promotes_then_appends_to_the_ledger():
    event = BrokerageEventFactory(capacity=2)
    a, b = participant(event), participant(event)
    waiting = participant(event, status=RegistrationStatus.WAITING)
    request = brokerage.request_meeting(requester=a, addressee=b, actor=a.user)

    with CaptureQueriesContext(connection) as queries:
        registration.cancel(registration=a, actor=a.user)

    assert after_the_head_lock(queries) == []
    assert appends(queries) == 1
    assert _last_entries(3) == [
        ("events.registration.cancelled", str(a.pk)),
        ("events.meeting.cancelled", str(request.pk)),
        ("events.registration.promoted", str(waiting.pk)),
    ]
    assert list(Notification.objects.order_by("-pk").values_list("template", "email")[:2]) == [
        ("events/registered", waiting.user.email),
        ("events/meeting_cancelled", b.user.email),
    ]


def test_accepting_a_meeting_places_it_then_appends_to_the_ledger():
    event = BrokerageEventFactory()
    grid(event, tables=2)
    a, b = participant(event), participant(event)
    request = brokerage.request_meeting(requester=a, addressee=b, actor=a.user)

    with CaptureQueriesContext(connection) as queries:
        brokerage.accept_meeting(meeting_request=request, actor=b.user)

    assert after_the_head_lock(queries) == []
    assert appends(queries) == 1
    meeting = Meeting.objects.get(request=request)
    assert _last_entries(2) == [
        ("events.meeting.accepted", str(request.pk)),
        ("events.meeting.placed", str(meeting.pk)),
    ]
    assert list(Notification.objects.order_by("-pk").values_list("template", "email")[:3]) == [
        ("events/meeting_placed", b.user.email),
        ("events/meeting_placed", a.user.email),
        ("events/meeting_accepted", a.user.email),
    ]


def test_scheduling_all_places_the_meetings_then_appends_to_the_ledger_once():
    event = BrokerageEventFactory()
    a, b = participant(event), participant(event)
    request = brokerage.request_meeting(requester=a, addressee=b, actor=a.user)
    brokerage.accept_meeting(meeting_request=request, actor=b.user)  # no grid yet: not placed
    settings = grid(event, tables=2)
    staff = UserFactory(roles=[roles.STAFF])

    with CaptureQueriesContext(connection) as queries:
        brokerage.schedule_meetings(event=event, actor=staff)

    assert after_the_head_lock(queries) == []
    assert appends(queries) == 1
    meeting = Meeting.objects.get(request=request)
    assert _last_entries(2) == [
        ("events.meeting.placed", str(meeting.pk)),
        ("events.brokerage.scheduled", str(settings.pk)),
    ]
    assert Notification.objects.latest("pk").template == "events/meeting_placed"


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


def test_requesting_declining_and_cancelling_meetings_queue_the_mail_then_append():
    event = BrokerageEventFactory()
    a, b, c = participant(event), participant(event), participant(event)

    with CaptureQueriesContext(connection) as queries:
        asked = brokerage.request_meeting(requester=a, addressee=b, actor=a.user)
    assert after_the_head_lock(queries) == []
    assert (_last_entries(1), _last_mail()) == (
        [("events.meeting.requested", str(asked.pk))],
        ("events/meeting_requested", b.user.email),
    )

    with CaptureQueriesContext(connection) as queries:
        brokerage.decline_meeting(meeting_request=asked, actor=b.user)
    assert after_the_head_lock(queries) == []
    assert (_last_entries(1), _last_mail()) == (
        [("events.meeting.declined", str(asked.pk))],
        ("events/meeting_declined", a.user.email),
    )

    withdrawn = brokerage.request_meeting(requester=a, addressee=c, actor=a.user)
    with CaptureQueriesContext(connection) as queries:
        brokerage.cancel_meeting(meeting_request=withdrawn, actor=a.user)
    assert after_the_head_lock(queries) == []
    assert (_last_entries(1), _last_mail()) == (
        [("events.meeting.cancelled", str(withdrawn.pk))],
        ("events/meeting_cancelled", c.user.email),
    )


def _last_mail() -> tuple[str, str]:
    return Notification.objects.order_by("-pk").values_list("template", "email")[0]
