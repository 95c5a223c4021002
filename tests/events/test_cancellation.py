"""Cancelling an event: its meetings go with it and everyone registered or waiting is told once;
the registration e-mails link to the event's page."""

import pytest
from django.core import mail

from accounts import roles
from events import brokerage, registration, services
from events.models import Meeting, MeetingRequest, MeetingSeat, RegistrationStatus
from minegap.ledger.models import AuditEntry
from tests.evaluation.conftest import with_mfa
from tests.events.brokerage_factories import BrokerageEventFactory, grid, participant
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_cancelling_an_event_cancels_its_meetings_and_tells_each_person_once():
    staff = with_mfa(UserFactory(roles=[roles.STAFF]))
    event = BrokerageEventFactory(state="published", title="Sensors meet mines")
    grid(event)
    ada, bo = participant(event), participant(event)
    waiting = participant(event, status=RegistrationStatus.WAITING)
    request = brokerage.request_meeting(requester=ada, addressee=bo, actor=ada.user)
    brokerage.accept_meeting(meeting_request=request, actor=bo.user)
    assert Meeting.objects.count() == 1
    mail.outbox.clear()

    services.cancel_event(event=event, actor=staff)

    assert (Meeting.objects.count(), MeetingSeat.objects.count()) == (0, 0)
    assert MeetingRequest.objects.get().state == "cancelled"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [ada.user.email, bo.user.email, waiting.user.email]
    )
    assert {message.subject for message in mail.outbox} == {"Cancelled: Sensors meet mines"}
    assert f"/events/{event.pk}/" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="events.event.cancelled")
    assert entry.data == {"from": "published", "people_told": 3, "meeting_requests_cancelled": 1}


def test_the_place_e_mail_links_to_the_event_page():
    event = EventFactory(state="published", capacity=5)
    person = UserFactory()

    registration.register(event=event, user=person)

    (message,) = mail.outbox
    assert f"/events/{event.pk}/\n" in message.body
