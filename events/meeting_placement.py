"""Placing accepted meeting requests on the event's grid (slot and table).

Two ways, both under the event's row lock (taken by the caller):
- `place_now`, on acceptance: the earliest slot that both participants can attend, where
  neither has a meeting yet and a table is free. Instant feedback for the two people.
- `schedule_all`, staff's run (a Celery task): the accepted requests still without a slot are
  placed by `events.scheduling`, which maximises the number of meetings (and proves it).
  Meetings already placed stay where they are (passed as `fixed`): their participants have been
  told the time, may have planned around it, and staff may have moved them by hand; re-placing
  everything could gain a few meetings but would silently move meetings people rely on. Staff
  who want a different grid move or cancel meetings first, then run it again.

When staff change the grid, `regrid` carries placed meetings and availabilities over to the new
slot numbers (same times), or refuses the change if a placed meeting would lose its slot or
table. A participant whose chosen times are gone is e-mailed; one left with none stays with an
empty list, offered for no meeting, until they choose again.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Case, F, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from events import brokerage_grid, scheduling, timing
from events.models import (
    BrokerageProfile,
    BrokerageSettings,
    Event,
    Meeting,
    MeetingRequest,
    MeetingRequestState,
    MeetingSeat,
    Registration,
    RegistrationStatus,
)
from minegap.ledger.services import Entry, record_many
from minegap.notifications.services import enqueue


def _availability(event: Event, count: int) -> dict[int, frozenset[int]]:
    """Registration id -> the slots they said they can attend (absent: all)."""
    rows = BrokerageProfile.objects.filter(
        registration__event=event, available_slots__isnull=False
    ).values_list("registration_id", "available_slots")
    return {pk: frozenset(s for s in slots if 0 <= s < count) for pk, slots in rows}


def _put(meeting_request: MeetingRequest, slot: brokerage_grid.Slot, table: int) -> Meeting:
    meeting = Meeting.objects.create(
        request=meeting_request,
        event_id=meeting_request.event_id,
        slot=slot.index,
        table=table,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    MeetingSeat.objects.bulk_create(
        MeetingSeat(meeting=meeting, participant_id=pk, event_id=meeting.event_id, slot=slot.index)
        for pk in meeting_request.participant_ids
    )
    return meeting


def _announce(meeting: Meeting, meeting_request: MeetingRequest) -> None:
    event = meeting_request.event
    enqueue(
        template="events/meeting_placed",
        subject=_("Your meeting's time: %(title)s") % {"title": event.title},
        recipients=[meeting_request.requester.user, meeting_request.addressee.user],
        context={
            "event_title": event.title,
            "when": timing.span_text(meeting.starts_at, meeting.ends_at, event.time_zone),
            "table": meeting.table,
        },
    )


def placed_entry(meeting: Meeting, actor: User | None) -> Entry:
    """The ledger entry of a meeting placed, for the caller to append last."""
    return Entry(
        action="events.meeting.placed",
        target=meeting,
        actor=actor,
        data={"event": meeting.event_id, "request": meeting.request_id, "slot": meeting.slot},
    )


def place_now(meeting_request: MeetingRequest) -> Meeting | None:
    """The earliest free slot both can attend, at the lowest free table; None if there is none
    (or the grid is not set yet). The caller holds the event's lock and appends `placed_entry`
    to the ledger."""
    settings = BrokerageSettings.objects.filter(event_id=meeting_request.event_id).first()
    if settings is None:
        return None
    slots = brokerage_grid.event_slots(settings)
    availability = _availability(meeting_request.event, len(slots))
    pair = meeting_request.participant_ids
    busy = set(
        MeetingSeat.objects.filter(
            event_id=meeting_request.event_id, participant_id__in=pair
        ).values_list("slot", flat=True)
    )
    used: dict[int, set[int]] = defaultdict(set)
    for slot, table in Meeting.objects.filter(event_id=meeting_request.event_id).values_list(
        "slot", "table"
    ):
        used[slot].add(table)
    everything = frozenset(range(len(slots)))
    both = availability.get(pair[0], everything) & availability.get(pair[1], everything)
    for slot in slots:
        if slot.index in busy or slot.index not in both or len(used[slot.index]) >= settings.tables:
            continue
        table = min(set(range(1, settings.tables + 1)) - used[slot.index])
        meeting = _put(meeting_request, slot, table)
        _announce(meeting, meeting_request)
        return meeting
    return None


def schedule_all(*, event: Event, actor: User | None = None) -> dict[str, int | bool]:
    """Place every accepted request still without a slot, keeping placed meetings where they are
    (see the module's docstring). The caller holds the event's lock. Returns the figures."""
    settings = BrokerageSettings.objects.get(event=event)
    slots = brokerage_grid.event_slots(settings)
    availability = _availability(event, len(slots))
    accepted = list(
        MeetingRequest.objects.filter(
            event=event,
            state=MeetingRequestState.ACCEPTED,
            requester__status=RegistrationStatus.CONFIRMED,
            addressee__status=RegistrationStatus.CONFIRMED,
        ).select_related("event", "requester__user", "addressee__user", "meeting")
    )
    placed = {r.pk: r.meeting for r in accepted if hasattr(r, "meeting")}
    # A placed meeting stays even if someone later narrowed their availability (the services
    # refuse that, staff moves may not): its slot counts as available for the solver.
    for meeting_request in accepted:
        if meeting_request.pk in placed:
            for pk in meeting_request.participant_ids:
                if pk in availability:
                    availability[pk] = availability[pk] | {placed[meeting_request.pk].slot}
    placement = scheduling.place_meetings(
        [
            scheduling.MeetingRequest(key=r.pk, first=r.requester_id, second=r.addressee_id)
            for r in accepted
        ],
        scheduling.Grid(slots=len(slots), tables=settings.tables, availability=availability),
        fixed={key: meeting.slot for key, meeting in placed.items()},
    )
    used: dict[int, set[int]] = defaultdict(set)
    for slot, table in Meeting.objects.filter(event=event).values_list("slot", "table"):
        used[slot].add(table)
    entries, new = [], []
    for meeting_request in accepted:
        slot = placement.slots.get(meeting_request.pk)
        if meeting_request.pk in placed or slot is None:
            continue
        table = min(set(range(1, settings.tables + 1)) - used[slot])
        used[slot].add(table)
        meeting = _put(meeting_request, slots[slot], table)
        new.append((meeting, meeting_request))
        entries.append(placed_entry(meeting, actor))
    settings.scheduled_at = timezone.now()
    settings.save(update_fields=["scheduled_at"])
    figures = {
        "accepted": len(accepted),
        "placed_before": len(placed),
        "placed_now": len(new),
        "unplaced": len(accepted) - len(placed) - len(new),
        "optimal": placement.optimal,
    }
    for meeting, meeting_request in new:
        _announce(meeting, meeting_request)
    # One append, the transaction's last step: a run placing many meetings holds the head lock
    # once, and briefly.
    entries.append(
        Entry(action="events.brokerage.scheduled", target=settings, actor=actor, data=figures)
    )
    record_many(entries)
    return figures


def _tell_of_lost_times(
    event: Event, registration: Registration, remaining: list[brokerage_grid.Slot]
) -> None:
    """The e-mail of a participant some of whose chosen times the new grid no longer has: what
    remains, or, when nothing does, that they are not offered for meetings until they choose
    again (their availability is not widened to the new grid: they never agreed to its times)."""
    context = {
        "event_title": event.title,
        "when": timing.span_text(event.starts_at, event.ends_at, event.time_zone),
        "url": reverse("events:brokerage-availability", args=[event.pk]),
    }
    if remaining:
        enqueue(
            template="events/availability_narrowed",
            subject=_("Some of your meeting times are gone: %(title)s") % {"title": event.title},
            recipients=[registration.user],
            context={
                **context,
                "remaining": [
                    timing.span_text(slot.starts_at, slot.ends_at, event.time_zone)
                    for slot in remaining
                ],
            },
        )
    else:
        enqueue(
            template="events/availability_emptied",
            subject=_("Choose your meeting times again: %(title)s") % {"title": event.title},
            recipients=[registration.user],
            context=context,
        )


def regrid(
    event: Event, kept: dict[int, int], tables: int, slots: list[brokerage_grid.Slot]
) -> dict[str, int]:
    """Carry the event's placed meetings and stated availabilities over to a new grid (`slots`):
    `kept` maps the old slot numbers the new grid still has (same start and end) to their new
    numbers. Meetings keep their time and table, only their slot number may change; a slot
    someone said they can attend and that is gone leaves their list, and each confirmed
    participant who lost a slot is e-mailed (the caller appends to the ledger afterwards).
    Refused (ValidationError naming how many meetings) when a placed meeting's slot or table
    would be gone. The caller holds the event's lock. Returns the figures for the ledger:
    `availabilities_emptied` counts the participants left with no chosen time,
    `availabilities_narrowed` those who keep some."""
    meetings = Meeting.objects.filter(event=event)
    orphans = meetings.exclude(slot__in=list(kept)).count()
    beyond = meetings.filter(table__gt=tables).count()
    problems = []
    if orphans:
        problems.append(
            ngettext(
                "%(count)d placed meeting is in a slot the new grid does not have: move it to "
                "another slot or cancel it first.",
                "%(count)d placed meetings are in slots the new grid does not have: move them to "
                "other slots or cancel them first.",
                orphans,
            )
            % {"count": orphans}
        )
    if beyond:
        problems.append(
            ngettext(
                "%(count)d placed meeting is at a table beyond %(tables)d: move it to another "
                "table or cancel it first.",
                "%(count)d placed meetings are at tables beyond %(tables)d: move them to other "
                "tables or cancel them first.",
                beyond,
            )
            % {"count": beyond, "tables": tables}
        )
    if problems:
        raise ValidationError(problems)
    moved = {old: new for old, new in kept.items() if old != new}
    renumbered = meetings.filter(slot__in=list(moved)).count()
    if moved:
        # Two steps, so that no row ever takes a number another still holds (the unique
        # constraints are checked row by row): first beyond every number in use, then down.
        above = max(*kept, *kept.values()) + 1
        shift = Case(*(When(slot=old, then=Value(new + above)) for old, new in moved.items()))
        for model in (Meeting, MeetingSeat):
            model.objects.filter(event=event, slot__in=list(moved)).update(slot=shift)
            model.objects.filter(event=event, slot__gte=above).update(slot=F("slot") - above)
    changed, narrowed, emptied = [], 0, 0
    for profile in BrokerageProfile.objects.filter(
        registration__event=event, available_slots__isnull=False
    ).select_related("registration__user"):
        remaining = sorted(kept[slot] for slot in profile.available_slots if slot in kept)
        if remaining == profile.available_slots:
            continue
        lost = len(remaining) < len(profile.available_slots)
        profile.available_slots, profile.updated_at = remaining, timezone.now()
        changed.append(profile)
        # Someone who left the event is offered no meeting whatever their times: not told.
        if lost and profile.registration.status == RegistrationStatus.CONFIRMED:
            if remaining:
                narrowed += 1
            else:
                emptied += 1
            _tell_of_lost_times(event, profile.registration, [slots[i] for i in remaining])
    BrokerageProfile.objects.bulk_update(changed, ["available_slots", "updated_at"])
    return {
        "meetings_renumbered": renumbered,
        "availabilities_narrowed": narrowed,
        "availabilities_emptied": emptied,
    }
