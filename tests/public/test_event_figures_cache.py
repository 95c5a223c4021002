"""The events' public figures (/api/v1/public/event-figures/ and the figures page) are cached,
and shown changed at once: when an event, a registration, a meeting or a meeting outcome
changes, and from the moment an event ends. The brokerage event runs 09:00-10:00 (Helsinki)
in ten days; a, b and c take part, a and b have a meeting placed."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts import roles
from events import brokerage, meeting_outcomes, services
from events.models import EventState, Meeting, RegistrationStatus
from tests.events.brokerage_factories import BrokerageEventFactory, at, grid, participant
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def brokerage_event():
    event = BrokerageEventFactory()
    grid(event)
    a, b, c = participant(event), participant(event), participant(event)
    request = brokerage.request_meeting(requester=a, addressee=b, actor=a.user)
    brokerage.accept_meeting(meeting_request=request, actor=b.user)
    return event, request, (a, b, c)


def _figures(client) -> list[int]:
    body = client.get(reverse("api-public-event-figures")).json()
    return [
        body[name] for name in ("events_held", "participants", "meetings_held", "consortia_formed")
    ]


def test_the_figures_are_read_once_then_served_from_the_cache(
    client, brokerage_event, time_machine, django_assert_num_queries
):
    time_machine.move_to(at(10, 10, 1))  # a minute after the end
    first = _figures(client)

    with django_assert_num_queries(0):
        again = _figures(client)

    assert first == again == [1, 3, 1, 0]


def test_a_change_to_an_outcome_a_registration_a_meeting_or_an_event_shows_at_once(
    client, brokerage_event, time_machine
):
    event, request, (a, _b, c) = brokerage_event
    staff = UserFactory(roles=[roles.STAFF])
    earlier = event.starts_at - timedelta(hours=2)
    time_machine.move_to(at(10, 10, 1))
    seen = [_figures(client)]

    meeting_outcomes.record_outcome(meeting_request=request, actor=a.user, led_to_consortium=True)
    seen.append(_figures(client))
    c.status = RegistrationStatus.CANCELLED
    c.save(update_fields=["status"])
    seen.append(_figures(client))
    Meeting.objects.get(request=request).delete()
    seen.append(_figures(client))
    # An event that has ended may be published for its record: it counts as held from then on.
    record = EventFactory(
        state=EventState.DRAFT,
        starts_at=earlier,
        ends_at=earlier + timedelta(hours=1),
        registration_deadline=earlier - timedelta(days=1),
    )
    participant(record)
    seen.append(_figures(client))
    services.publish_event(event=record, actor=staff)
    seen.append(_figures(client))

    assert seen == [
        [1, 3, 1, 0],
        [1, 3, 1, 1],  # the outcome
        [1, 2, 1, 1],  # c's registration cancelled
        [1, 2, 0, 0],  # the meeting gone, with what it led to
        [1, 2, 0, 0],  # a draft is not a held event, nor its participant counted
        [2, 3, 0, 0],  # published
    ]


def test_an_event_counts_as_held_from_the_moment_it_ends(client, brokerage_event, time_machine):
    time_machine.move_to(at(10, 9, 59))
    before = _figures(client)
    time_machine.move_to(at(10, 10) + timedelta(seconds=1))  # well within the cache's ten minutes
    after = _figures(client)

    assert (before, after) == ([0, 0, 0, 0], [1, 3, 1, 0])
