"""Two acceptances at the same moment never double-book a person or a table. On PostgreSQL the
threads really race (the event's row lock decides, the seat and table constraints back it up);
SQLite has one writer at a time, so there the calls run one after the other and must agree."""

import pytest

from events import brokerage
from events.models import Meeting, MeetingSeat
from tests.concurrency import race
from tests.events.brokerage_factories import BrokerageEventFactory, grid, participant


def _accept_all(pairs):
    requests = [brokerage.request_meeting(requester=a, addressee=b, actor=a.user) for a, b in pairs]
    _accepted, refusals = race(
        [
            lambda r=r, b=b: brokerage.accept_meeting(meeting_request=r, actor=b.user)
            for r, (_a, b) in zip(requests, pairs, strict=True)
        ]
    )
    return refusals


@pytest.mark.django_db(transaction=True)
def test_one_person_accepting_three_meetings_at_once_gets_them_in_three_slots():
    event = BrokerageEventFactory()  # 09:00-10:00: three 20-minute slots
    grid(event, tables=5)
    host = participant(event)
    guests = [participant(event) for _ in range(4)]

    errors = _accept_all([(guest, host) for guest in guests])

    assert errors == []
    assert sorted(MeetingSeat.objects.filter(participant=host).values_list("slot", flat=True)) == [
        0,
        1,
        2,
    ]
    assert Meeting.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_four_pairs_accepting_at_once_share_one_slot_of_two_tables_then_move_on():
    event = BrokerageEventFactory()
    grid(event, tables=2, meeting_minutes=60)  # one slot, two tables
    people = [participant(event) for _ in range(8)]

    errors = _accept_all([(people[i], people[i + 1]) for i in range(0, 8, 2)])

    assert errors == []
    assert sorted(Meeting.objects.values_list("slot", "table")) == [(0, 1), (0, 2)]
