"""A brokerage event's meeting grid: its slots, numbered 0, 1, 2... in time order.

Slots are cut from the event's meeting sessions (or from the whole event when it has none),
`meeting_minutes` each, back to back; what is left at the end of a session too short for a
meeting is not a slot. Slot numbers are what availability and meetings store: when staff change
the grid, the slots that keep their start and end are renumbered (`renumbering`) and the
meetings and availabilities follow them (`meeting_placement.regrid`).
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


def renumbering(old: list[Slot], new: list[Slot]) -> dict[int, int]:
    """Old slot number -> new slot number, for the old slots the new grid still has (the same
    start and end); the others are gone."""
    position = {(slot.starts_at, slot.ends_at): slot.index for slot in new}
    return {
        slot.index: position[slot.starts_at, slot.ends_at]
        for slot in old
        if (slot.starts_at, slot.ends_at) in position
    }
