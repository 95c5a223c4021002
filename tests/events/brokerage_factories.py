"""A brokerage event with its meeting grid, and its confirmed participants (each for their own
organisation), built directly: the registration services are tested elsewhere."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from events.models import BrokerageSettings, EventKind, Registration, RegistrationStatus
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """`days` from today at hour:minute, Helsinki time (the factories' event time zone)."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


class BrokerageEventFactory(EventFactory):
    """In ten days, 09:00-10:00 Helsinki time: three 20-minute slots once the grid is set."""

    kind = EventKind.BROKERAGE
    title = factory.Sequence(lambda n: f"Raw materials brokerage {n}")
    starts_at = factory.LazyFunction(lambda: at(10, 9))
    ends_at = factory.LazyFunction(lambda: at(10, 10))
    registration_deadline = factory.LazyFunction(lambda: at(9, 9))


def grid(event, *, tables: int = 2, meeting_minutes: int = 20) -> BrokerageSettings:
    return BrokerageSettings.objects.create(
        event=event, tables=tables, meeting_minutes=meeting_minutes
    )


def participant(event, *, status: str = RegistrationStatus.CONFIRMED) -> Registration:
    membership = MembershipFactory()
    return Registration.objects.create(
        event=event, user=membership.user, organisation=membership.organisation, status=status
    )
