"""Staff's "schedule all": accepted requests without a slot placed by the solver, keeping the
placed meetings where they are, respecting availability and tables (a small grid, by hand)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from events import brokerage, tasks
from events.models import BrokerageProfile, Meeting, Registration
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.events.brokerage_factories import BrokerageEventFactory, at, grid, participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _accepted(first: Registration, second: Registration):
    request = brokerage.request_meeting(requester=first, addressee=second, actor=first.user)
    return brokerage.accept_meeting(meeting_request=request, actor=second.user)


def test_schedule_all_keeps_placed_meetings_and_places_the_most_the_grid_allows():
    """Two 30-minute slots (09:00, 09:30), two tables. A-B was placed on acceptance in slot 0,
    table 1. Accepted before the grid existed: C-D, A-C, B-D, A-D; D can attend slot 0 only.
    D's three meetings all need slot 0, where A and B are busy: only C-D fits (table 2).
    A-C fits slot 1 only (A is busy in 0). B-D and A-D cannot be held."""
    event = BrokerageEventFactory()
    a, b, c, d = (participant(event) for _ in range(4))
    BrokerageProfile.objects.create(registration=d, available_slots=[0])
    cd, ac, bd, ad = _accepted(c, d), _accepted(a, c), _accepted(b, d), _accepted(a, d)
    grid(event, tables=2, meeting_minutes=30)
    ab = _accepted(a, b)
    assert list(Meeting.objects.values_list("request_id", "slot", "table")) == [(ab.pk, 0, 1)]
    staff = UserFactory(roles=[roles.STAFF])

    figures = tasks.schedule_brokerage(event.pk, staff.pk)

    assert figures == {
        "accepted": 5,
        "placed_before": 1,
        "placed_now": 2,
        "unplaced": 2,
        "optimal": True,
    }
    assert sorted(
        Meeting.objects.values_list("request_id", "slot", "table", "starts_at")
    ) == sorted(
        [
            (ab.pk, 0, 1, at(10, 9)),
            (cd.pk, 0, 2, at(10, 9)),
            (ac.pk, 1, 1, at(10, 9, 30)),
        ]
    )
    assert not Meeting.objects.filter(request__in=[bd, ad]).exists()
    placed = AuditEntry.objects.filter(action="events.meeting.placed").order_by("seq")
    assert [e.data["request"] for e in placed] == [ab.pk, cd.pk, ac.pk]
    assert AuditEntry.objects.get(action="events.brokerage.scheduled").data == figures
    told = Notification.objects.filter(template="events/meeting_placed").order_by("pk")
    assert sorted(n.email for n in told[2:]) == sorted(
        [c.user.email, d.user.email, a.user.email, c.user.email]
    )

    # A second run has nothing left to place and moves nothing.
    again = brokerage.schedule_meetings(event=event, actor=staff)
    assert (again["placed_before"], again["placed_now"], again["unplaced"]) == (3, 0, 2)
    assert Meeting.objects.count() == 3


def test_only_staff_schedule_and_only_a_grid_can_be_scheduled():
    event = BrokerageEventFactory()
    with pytest.raises(PermissionDenied):
        brokerage.schedule_meetings(event=event, actor=UserFactory())
    with pytest.raises(ValidationError) as refused:
        brokerage.schedule_meetings(event=event, actor=UserFactory(roles=[roles.STAFF]))
    assert refused.value.messages == ["The meeting grid of this event is not set yet."]


def test_a_participant_who_cancelled_their_registration_is_not_scheduled():
    event = BrokerageEventFactory()
    a, b = participant(event), participant(event)
    _accepted(a, b)
    grid(event)
    Registration.objects.filter(pk=b.pk).update(status="cancelled")

    figures = brokerage.schedule_meetings(event=event, actor=None)

    assert (figures["accepted"], figures["placed_now"]) == (0, 0)
    assert Meeting.objects.count() == 0
