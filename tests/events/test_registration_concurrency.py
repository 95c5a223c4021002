"""The last place is given once, whoever clicks at the same moment, and a freed place promotes
exactly one person. On PostgreSQL the threads really race (the event's row lock decides);
SQLite has one writer at a time, so there the same calls run one after the other and must agree.
"""

import pytest

from events import registration
from events.models import Registration, RegistrationStatus
from tests.concurrency import race
from tests.events.factories import EventFactory
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_five_people_for_two_places_two_get_one_and_three_wait():
    event = EventFactory(capacity=2)
    people = UserFactory.create_batch(5)

    _results, errors = race(
        [lambda person=person: registration.register(event=event, user=person) for person in people]
    )

    assert errors == []
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waiting", "waiting", "waiting"]


@pytest.mark.django_db(transaction=True)
def test_two_cancellations_at_once_promote_two_different_people():
    event = EventFactory(capacity=2)
    holders = UserFactory.create_batch(2)
    waiting = UserFactory.create_batch(3)
    places = [registration.register(event=event, user=person) for person in holders]
    for person in waiting:
        registration.register(event=event, user=person)

    _results, errors = race(
        [
            lambda place=place, person=person: registration.cancel(registration=place, actor=person)
            for place, person in zip(places, holders, strict=True)
        ]
    )

    assert errors == []
    confirmed = set(
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).values_list(
            "user_id", flat=True
        )
    )
    assert confirmed == {waiting[0].pk, waiting[1].pk}
