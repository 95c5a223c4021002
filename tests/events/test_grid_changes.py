"""Staff change the meeting grid after meetings are placed: tables, slots and sessions can be
added (placed meetings keep their time and table, their slot number follows), and a change that
would leave a placed meeting without its slot or table is refused, saying how many and what to
do. The event runs 08:00-12:00 (Helsinki); the first grid is one session, 09:00-10:00, of
20-minute slots: 09:00 (slot 0), 09:20 (1), 09:40 (2)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import roles
from events import brokerage
from events.models import (
    BrokerageProfile,
    BrokerageSession,
    BrokerageSettings,
    Meeting,
    MeetingSeat,
)
from minegap.ledger.models import AuditEntry
from tests.auth import sign_in
from tests.events.brokerage_factories import BrokerageEventFactory, at, participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NINE_TO_TEN = (at(10, 9), at(10, 10))


def _configure(event, staff, *, sessions, tables=1, minutes=20):
    return brokerage.configure_brokerage(
        event=event, actor=staff, meeting_minutes=minutes, tables=tables, sessions=sessions
    )


def _meeting(first, second) -> Meeting:
    request = brokerage.request_meeting(requester=first, addressee=second, actor=first.user)
    brokerage.accept_meeting(meeting_request=request, actor=second.user)
    return Meeting.objects.get(request=request)


@pytest.fixture
def world():
    """Two meetings placed on acceptance with one table: a-b at 09:00 (slot 0), c-d at 09:20
    (slot 1); e can attend 09:20 and 09:40 only."""
    event = BrokerageEventFactory(starts_at=at(10, 8), ends_at=at(10, 12))
    staff = UserFactory(roles=[roles.STAFF])
    _configure(event, staff, sessions=[NINE_TO_TEN])
    a, b, c, d, e = (participant(event) for _ in range(5))
    brokerage.set_availability(registration=e, actor=e.user, slots=[1, 2])
    first, second = _meeting(a, b), _meeting(c, d)
    assert [(first.slot, first.table), (second.slot, second.table)] == [(0, 1), (1, 1)]
    return event, staff, first, second, e


def _where(meeting: Meeting) -> tuple[int, int, object]:
    meeting.refresh_from_db()
    return meeting.slot, meeting.table, meeting.starts_at


def test_tables_and_a_later_session_are_added_without_moving_a_meeting(world):
    event, staff, first, second, e = world

    _configure(event, staff, sessions=[NINE_TO_TEN, (at(10, 11), at(10, 12))], tables=3)

    assert _where(first) == (0, 1, at(10, 9))
    assert _where(second) == (1, 1, at(10, 9, 20))
    assert BrokerageProfile.objects.get(registration=e).available_slots == [1, 2]
    assert BrokerageSettings.objects.get(event=event).tables == 3
    entry = AuditEntry.objects.filter(action="events.brokerage.configured").order_by("seq").last()
    assert (entry.data["slots"], entry.data["tables"]) == (6, 3)
    assert (entry.data["meetings_renumbered"], entry.data["availabilities_narrowed"]) == (0, 0)


def test_a_session_added_before_renumbers_the_slots_and_keeps_every_meeting_s_time(world):
    event, staff, first, second, e = world

    # 08:00 and 08:20 come first now: 09:00 becomes slot 2, 09:20 slot 3, 09:40 slot 4.
    _configure(event, staff, sessions=[(at(10, 8), at(10, 8, 40)), NINE_TO_TEN])

    assert _where(first) == (2, 1, at(10, 9))
    assert _where(second) == (3, 1, at(10, 9, 20))
    assert sorted(MeetingSeat.objects.values_list("meeting_id", "slot")) == sorted(
        [(first.pk, 2), (first.pk, 2), (second.pk, 3), (second.pk, 3)]
    )
    assert BrokerageProfile.objects.get(registration=e).available_slots == [3, 4]
    entry = AuditEntry.objects.filter(action="events.brokerage.configured").order_by("seq").last()
    assert (entry.data["slots"], entry.data["meetings_renumbered"]) == (5, 2)


def test_a_slot_someone_chose_that_is_gone_leaves_their_availability(world):
    event, staff, _first, _second, e = world

    # 09:40 goes (the session ends at 09:40); nobody meets then, e said they could.
    _configure(event, staff, sessions=[(at(10, 9), at(10, 9, 40))])

    assert BrokerageProfile.objects.get(registration=e).available_slots == [1]
    entry = AuditEntry.objects.filter(action="events.brokerage.configured").order_by("seq").last()
    assert entry.data["availabilities_narrowed"] == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"sessions": [(at(10, 9), at(10, 9, 20))]},
            "1 placed meeting is in a slot the new grid does not have: move it to another "
            "slot or cancel it first.",
        ),
        (
            {"sessions": [NINE_TO_TEN], "minutes": 30},
            "2 placed meetings are in slots the new grid does not have: move them to other "
            "slots or cancel them first.",
        ),
    ],
    ids=["a session shortened", "a new meeting length"],
)
def test_a_change_that_would_leave_meetings_without_their_slot_is_refused(world, change, message):
    event, staff, first, second, _e = world

    with pytest.raises(ValidationError) as refused:
        _configure(event, staff, **change)

    assert refused.value.messages == [message]
    assert list(BrokerageSession.objects.values_list("starts_at", "ends_at")) == [NINE_TO_TEN]
    assert BrokerageSettings.objects.get(event=event).meeting_minutes == 20
    assert (_where(first), _where(second)) == ((0, 1, at(10, 9)), (1, 1, at(10, 9, 20)))


def test_fewer_tables_than_a_placed_meeting_uses_are_refused(world):
    event, staff, _first, _second, _e = world
    _configure(event, staff, sessions=[NINE_TO_TEN], tables=2)
    f, g = participant(event), participant(event)
    third = _meeting(f, g)
    assert (third.slot, third.table) == (0, 2)

    with pytest.raises(ValidationError) as refused:
        _configure(event, staff, sessions=[NINE_TO_TEN], tables=1)

    assert refused.value.messages == [
        "1 placed meeting is at a table beyond 1: move it to another table or cancel it first."
    ]
    assert BrokerageSettings.objects.get(event=event).tables == 2


def test_the_staff_page_says_why_a_change_is_refused(client, world):
    event, staff, _first, _second, _e = world
    sign_in(client, staff)
    url = reverse("events:brokerage-settings", args=[event.pk])
    day = at(10, 9).date().isoformat()

    page = client.get(url)
    refused = client.post(
        url, {"meeting_minutes": 20, "tables": 1, "sessions": f"{day} 09:00-09:20"}
    )

    assert "2 meetings are placed" in page.content.decode()
    assert refused.status_code == 400
    assert "1 placed meeting is in a slot the new grid does not have" in refused.content.decode()
    assert Meeting.objects.count() == 2


def test_a_session_added_later_is_open_to_who_can_attend_every_slot_not_to_a_chosen_few(world):
    """Availability is the times a person ticked; "every slot" is stored as "the whole grid"
    (null), which covers slots added later. e ticked 09:20 and 09:40 only: the 11:00 session is
    not theirs until they tick it (they were never asked about it); f ticked every slot."""
    event, staff, _first, _second, e = world
    f, g, h, i = (participant(event) for _ in range(4))
    brokerage.set_availability(registration=f, actor=f.user, slots=[0, 1, 2])
    _meeting(g, h)  # 09:40, the morning's last free slot

    _configure(event, staff, sessions=[NINE_TO_TEN, (at(10, 11), at(10, 12))])
    with_f = _meeting(f, i)
    with_e = brokerage.request_meeting(requester=e, addressee=i, actor=e.user)
    brokerage.accept_meeting(meeting_request=with_e, actor=i.user)

    assert [p.available_slots for p in BrokerageProfile.objects.order_by("registration")] == [
        [1, 2],
        None,
    ]
    assert (with_f.slot, with_f.starts_at) == (3, at(10, 11))
    assert Meeting.objects.filter(request=with_e).exists() is False  # 09:20, 09:40 are taken
