"""A brokerage event's meeting grid: its slots, numbered 0, 1, 2... in time order.

Slots are cut from the event's meeting sessions (or from the whole event when it has none),
`meeting_minutes` each, back to back; what is left at the end of a session too short for a
meeting is not a slot. Slot numbers are what availability and meetings store, so the services
refuse to change the cutting once meetings are placed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from events.models import BrokerageSession, BrokerageSettings, Event


@dataclass(frozen=True)
class Slot:
    index: int
    starts_at: datetime
    ends_at: datetime


def cut_slots(windows: Iterable[tuple[datetime, datetime]], meeting_minutes: int) -> list[Slot]:
    length = timedelta(minutes=meeting_minutes)
    slots: list[Slot] = []
    for start, end in sorted(windows):
        moment = start
        while moment + length <= end:
            slots.append(Slot(len(slots), moment, moment + length))
            moment += length
    return slots


def windows_of(
    event: Event, sessions: Iterable[BrokerageSession]
) -> list[tuple[datetime, datetime]]:
    return [(s.starts_at, s.ends_at) for s in sessions] or [(event.starts_at, event.ends_at)]


def event_slots(settings: BrokerageSettings) -> list[Slot]:
    """The slots of the event whose settings these are (one query for its sessions)."""
    event = settings.event
    return cut_slots(
        windows_of(event, BrokerageSession.objects.filter(event=event)), settings.meeting_minutes
    )
