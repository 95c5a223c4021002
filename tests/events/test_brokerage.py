"""Brokerage services: offer/seek, availability, meeting requests and their answers, placement
on acceptance (the grid written out by hand)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from events import brokerage, registration
from events.brokerage_grid import event_slots
from events.models import Meeting, MeetingRequest, MeetingRequestState, MeetingSeat
from matchmaking.models import PartnerProfile
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.events.brokerage_factories import BrokerageEventFactory, at, grid, participant
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _ask(a, b, message=""):
    return brokerage.request_meeting(requester=a, addressee=b, actor=a.user, message=message)


def test_a_request_accepted_is_placed_in_the_first_slot_at_the_first_table():
    event = BrokerageEventFactory()
    grid(event, tables=2)
    a, b = participant(event), participant(event)

    request = _ask(a, b, "We sort ore with X-rays; you recycle tailings.")
    assert [n.email for n in Notification.objects.filter(template="events/meeting_requested")] == [
        b.user.email
    ]
    brokerage.accept_meeting(meeting_request=request, actor=b.user)

    meeting = Meeting.objects.get(request=request)
    assert (meeting.slot, meeting.table, meeting.starts_at, meeting.ends_at) == (
        0,
        1,
        at(10, 9),
        at(10, 9, 20),
    )
    assert sorted(MeetingSeat.objects.values_list("participant_id", "slot")) == [
        (a.pk, 0),
        (b.pk, 0),
    ]
    request.refresh_from_db()
    assert request.state == "accepted"
    assert list(
        AuditEntry.objects.filter(action__startswith="events.meeting.")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["events.meeting.requested", "events.meeting.accepted", "events.meeting.placed"]
    placed = Notification.objects.get(template="events/meeting_placed", email=a.user.email)
    assert (placed.context["when"], placed.context["table"]) == (
        "{}, 09:00–09:20 (Helsinki time)".format(at(10, 9).strftime("%-d %B %Y")),
        1,
    )


def test_placement_respects_people_already_busy_tables_and_availability():
    """Three slots (09:00, 09:20, 09:40), one table. A-B take slot 0; C-D cannot (no table),
    and D is available only in slots 0 and 2: they get slot 2. A-C: A is busy in 0, C in 2,
    slot 1 is free: A-C get slot 1. B-D: B free in 1 and 2, D only in 0 and 2, slot 2's table
    is taken: not placed."""
    event = BrokerageEventFactory()
    grid(event, tables=1)
    a, b, c, d = (participant(event) for _ in range(4))
    brokerage.set_availability(registration=d, actor=d.user, slots=[0, 2])

    for first, second in [(a, b), (c, d), (a, c), (b, d)]:
        request = _ask(first, second)
        brokerage.accept_meeting(meeting_request=request, actor=second.user)

    placed = {
        (m.request.requester_id, m.request.addressee_id): (m.slot, m.table)
        for m in Meeting.objects.select_related("request")
    }
    assert placed == {(a.pk, b.pk): (0, 1), (c.pk, d.pk): (2, 1), (a.pk, c.pk): (1, 1)}


def test_the_second_table_is_used_when_the_first_is_taken():
    event = BrokerageEventFactory()
    grid(event, tables=2)
    a, b, c, d = (participant(event) for _ in range(4))
    for first, second in [(a, b), (c, d)]:
        brokerage.accept_meeting(meeting_request=_ask(first, second), actor=second.user)

    assert list(Meeting.objects.values_list("slot", "table")) == [(0, 1), (0, 2)]


def test_requests_refused_with_a_clear_reason():
    event = BrokerageEventFactory()
    grid(event)
    a, b = participant(event), participant(event)
    waiting = participant(event, status="waiting")
    elsewhere = participant(BrokerageEventFactory())
    _ask(a, b)

    cases = [
        (lambda: _ask(a, a), "You cannot request a meeting with yourself."),
        (lambda: _ask(a, b), "You have already requested a meeting with this participant."),
        (
            lambda: _ask(b, a),
            "This participant has already requested a meeting with you: answer it.",
        ),
        (
            lambda: _ask(a, waiting),
            "You can request meetings only with confirmed participants of this event.",
        ),
        (lambda: _ask(waiting, a), "Only confirmed participants take part in the meetings."),
        (
            lambda: _ask(a, elsewhere),
            "You can request meetings only with participants of this event.",
        ),
    ]
    for call, message in cases:
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.messages == [message]
    assert event.meeting_requests.count() == 1


def test_only_a_brokerage_event_has_meetings():
    event = EventFactory()
    a = participant(event)
    b = participant(event)

    with pytest.raises(ValidationError) as refused:
        _ask(a, b)

    assert refused.value.messages == ["Only a brokerage event has one-to-one meetings."]


def test_someone_else_cannot_ask_in_my_name():
    event = BrokerageEventFactory()
    a, b = participant(event), participant(event)

    with pytest.raises(PermissionDenied):
        brokerage.request_meeting(requester=a, addressee=b, actor=b.user)


def test_only_the_addressee_answers_and_only_once():
    event = BrokerageEventFactory()
    grid(event)
    a, b = participant(event), participant(event)
    request = _ask(a, b)

    with pytest.raises(PermissionDenied):
        brokerage.accept_meeting(meeting_request=request, actor=a.user)
    brokerage.decline_meeting(meeting_request=request, actor=b.user)
    with pytest.raises(ValidationError) as refused:
        brokerage.accept_meeting(meeting_request=request, actor=b.user)

    assert refused.value.messages == ["This request is already answered or cancelled (“Declined”)."]
    assert Meeting.objects.count() == 0
    assert [n.email for n in Notification.objects.filter(template="events/meeting_declined")] == [
        a.user.email
    ]
    # Declined: the pair may ask again.
    assert _ask(b, a).state == MeetingRequestState.REQUESTED


def test_cancelling_an_accepted_meeting_frees_its_slot_for_the_next():
    event = BrokerageEventFactory()
    grid(event, tables=1)
    a, b, c = (participant(event) for _ in range(3))
    first = _ask(a, b)
    brokerage.accept_meeting(meeting_request=first, actor=b.user)

    with pytest.raises(PermissionDenied):
        brokerage.cancel_meeting(meeting_request=first, actor=c.user)
    brokerage.cancel_meeting(meeting_request=first, actor=b.user)
    second = _ask(c, a)
    brokerage.accept_meeting(meeting_request=second, actor=a.user)

    assert list(Meeting.objects.values_list("request_id", "slot")) == [(second.pk, 0)]
    assert [n.email for n in Notification.objects.filter(template="events/meeting_cancelled")] == [
        a.user.email
    ]


def test_an_unanswered_request_is_withdrawn_by_the_requester_only():
    event = BrokerageEventFactory()
    a, b = participant(event), participant(event)
    request = _ask(a, b)

    with pytest.raises(PermissionDenied):
        brokerage.cancel_meeting(meeting_request=request, actor=b.user)
    brokerage.cancel_meeting(meeting_request=request, actor=a.user)

    request.refresh_from_db()
    assert request.state == "cancelled"


def test_without_a_grid_an_accepted_request_waits_for_scheduling():
    event = BrokerageEventFactory()
    a, b = participant(event), participant(event)

    brokerage.accept_meeting(meeting_request=_ask(a, b), actor=b.user)

    assert Meeting.objects.count() == 0


def test_availability_cannot_drop_a_slot_with_a_meeting_nor_leave_the_grid():
    event = BrokerageEventFactory()
    grid(event)
    a, b = participant(event), participant(event)
    brokerage.accept_meeting(meeting_request=_ask(a, b), actor=b.user)

    for slots, message in [
        ([1, 2], "You have a meeting in a slot you removed: cancel that meeting first."),
        ([0, 3], "Choose slots of this event's meeting grid."),
        ([], "Choose at least one slot you can attend."),
    ]:
        with pytest.raises(ValidationError) as refused:
            brokerage.set_availability(registration=a, actor=a.user, slots=slots)
        assert refused.value.messages == [message]

    profile = brokerage.set_availability(registration=a, actor=a.user, slots=[2, 0, 0])
    assert profile.available_slots == [0, 2]


def test_offer_and_seek_are_published_and_default_from_the_partner_profile():
    from_profile = _profile_texts()
    assert from_profile == ("Ore sorting: X-ray sorting at the mine", "Tailings partner")

    event = BrokerageEventFactory()
    a = participant(event)
    with pytest.raises(ValidationError) as refused:
        brokerage.publish_profile(registration=a, actor=a.user, offer=" ", seek="")
    assert refused.value.messages == ["Say what you offer or what you seek."]

    profile = brokerage.publish_profile(registration=a, actor=a.user, offer="Sorting", seek="")
    assert (profile.offer, profile.seek, profile.published_at is not None) == ("Sorting", "", True)


def _profile_texts():
    event = BrokerageEventFactory()
    reg = participant(event)
    PartnerProfile.objects.create(
        organisation=reg.organisation,
        summary="Sensors",
        role_sought="provider",
        offers=[{"title": "Ore sorting", "description": "X-ray sorting at the mine"}],
        requests=[{"title": "Tailings partner", "description": ""}],
    )
    return brokerage.default_texts(reg)


def test_the_grid_is_set_by_staff_from_sessions_or_the_whole_event():
    event = BrokerageEventFactory()
    staff = UserFactory(roles=[roles.STAFF])

    with pytest.raises(PermissionDenied):
        brokerage.configure_brokerage(
            event=event, actor=UserFactory(), meeting_minutes=20, tables=3
        )
    settings = brokerage.configure_brokerage(
        event=event,
        actor=staff,
        meeting_minutes=25,
        tables=3,
        sessions=[(at(10, 9, 30), at(10, 10)), (at(10, 9), at(10, 9, 20))],
    ).settings
    assert [(s.index, s.starts_at) for s in event_slots(settings)] == [(0, at(10, 9, 30))]
    with pytest.raises(ValidationError) as refused:
        brokerage.configure_brokerage(
            event=event,
            actor=staff,
            meeting_minutes=20,
            tables=3,
            sessions=[(at(10, 9), at(10, 9, 40)), (at(10, 9, 30), at(10, 10))],
        )
    assert refused.value.messages == ["Sessions must not overlap."]


def test_a_participant_who_cancels_their_place_frees_their_meetings():
    event = BrokerageEventFactory()
    grid(event, tables=1)
    a, b, c = (participant(event) for _ in range(3))
    placed = _ask(a, b)
    brokerage.accept_meeting(meeting_request=placed, actor=b.user)
    pending = _ask(c, a)

    registration.cancel(registration=a, actor=a.user)

    assert sorted(
        MeetingRequest.objects.filter(pk__in=[placed.pk, pending.pk]).values_list(
            "state", flat=True
        )
    ) == ["cancelled", "cancelled"]
    assert Meeting.objects.count() == 0
    assert sorted(
        n.email for n in Notification.objects.filter(template="events/meeting_cancelled")
    ) == sorted([b.user.email, c.user.email])
