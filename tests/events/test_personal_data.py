"""A participant's events data: what "My data" exports and what an erasure does with it."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from accounts.services.erasure import erasure_request_process
from events import brokerage
from events.erasure import section as erasure_section
from events.models import MeetingRequest, Registration, RegistrationStatus
from events.personal_data import export
from tests.events.brokerage_factories import BrokerageEventFactory, at, grid, participant
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def _brokerage_pair():
    event = BrokerageEventFactory(capacity=2)
    grid(event)
    ada, bo = participant(event), participant(event)
    brokerage.publish_profile(
        registration=ada, actor=ada.user, offer="Sensor-based ore sorting", seek="A mine site"
    )
    request = brokerage.request_meeting(
        requester=ada, addressee=bo, actor=ada.user, message="Could we meet about a pilot?"
    )
    brokerage.accept_meeting(meeting_request=request, actor=bo.user)
    return event, ada, bo


def test_the_export_holds_registrations_texts_requests_and_meetings():
    event, ada, bo = _brokerage_pair()

    exported = export(ada.user)

    assert [(r["event"]["id"], r["status"], r["attended"]) for r in exported["registrations"]] == [
        (event.pk, "confirmed", None)
    ]
    assert [(p["offer"], p["seek"]) for p in exported["brokerage_profiles"]] == [
        ("Sensor-based ore sorting", "A mine site")
    ]
    (sent,) = exported["meeting_requests"]
    assert (sent["sent_by_you"], sent["message"], sent["state"]) == (
        True,
        "Could we meet about a pilot?",
        "accepted",
    )
    assert sent["other_side"] == {
        "id": bo.organisation.pk,
        "legal_name": bo.organisation.legal_name,
    }
    # 09:00-09:20 Helsinki time on the event's day, at the first table.
    (meeting,) = exported["meetings"]
    starts = at(10, 9).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (meeting["starts_at"], meeting["table"]) == (starts, 1)
    # The addressee sees the same request as received, naming the requester's organisation.
    (received,) = export(bo.user)["meeting_requests"]
    assert (received["sent_by_you"], received["other_side"]["id"]) == (
        False,
        ada.organisation.pk,
    )


def test_erasure_cancels_places_to_come_and_empties_what_the_person_wrote():
    event, ada, _bo = _brokerage_pair()
    waiting = participant(event, status=RegistrationStatus.WAITING)
    past = EventFactory(
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
        registration_deadline=timezone.now() - timedelta(days=4),
    )
    attended = Registration.objects.create(
        event=past, user=ada.user, status=RegistrationStatus.CONFIRMED, attended=True
    )

    outcome = erasure_section().erase(ada.user, timezone.now())

    assert outcome.erased == [
        "Your registration for 1 event still to come (cancelled)",
        "The message you wrote in 1 meeting request",
        "What you offered and sought at 1 brokerage event",
    ]
    assert outcome.kept == []
    ada.refresh_from_db()
    waiting.refresh_from_db()
    attended.refresh_from_db()
    assert ada.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED  # the waiting list moved up
    assert (attended.status, attended.attended) == (RegistrationStatus.CONFIRMED, True)
    assert MeetingRequest.objects.get().message == ""
    assert (ada.brokerage_profile.offer, ada.brokerage_profile.seek) == ("", "")


def test_the_whole_erasure_runs_the_events_section():
    _event, ada, _bo = _brokerage_pair()

    request = erasure_request_process(user=ada.user)

    assert "The message you wrote in 1 meeting request" in request.outcome["erased"]
    ada.refresh_from_db()
    assert ada.status == RegistrationStatus.CANCELLED
