from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Event, EventKind, EventState


def _in_days(days: int, hours: int = 0):
    return lambda: timezone.now() + timedelta(days=days, hours=hours)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = EventKind.INFO_DAY
    title = factory.Sequence(lambda n: f"Info day {n}")
    description = "What the call funds and how to apply."
    starts_at = factory.LazyFunction(_in_days(10))
    ends_at = factory.LazyFunction(_in_days(10, hours=3))
    registration_deadline = factory.LazyFunction(_in_days(9))
    time_zone = "Europe/Helsinki"
    place = "Oulu Mining School, Pentti Kaiteran katu 1"
    capacity = 50
    state = EventState.PUBLISHED
