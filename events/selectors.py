"""Reads of events."""

from datetime import datetime

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from calls.models import Call, CallState
from events.models import (
    Event,
    EventKind,
    EventMaterial,
    EventState,
    Meeting,
    MeetingOutcome,
    MeetingRequestState,
    Registration,
    RegistrationStatus,
)


def public_events() -> QuerySet[Event]:
    """Published and cancelled events (a cancelled one stays visible, marked, so nobody travels
    to it); drafts are for staff only."""
    return Event.objects.filter(
        state__in=(EventState.PUBLISHED, EventState.CANCELLED)
    ).select_related("call")


def material_is_public(material: EventMaterial) -> bool:
    """Materials are public once their published (or cancelled) event has ended."""
    event = material.event
    return event.state in (EventState.PUBLISHED, EventState.CANCELLED) and has_ended(event)


def next_clock_change() -> datetime | None:
    """The next moment a public event starts, ends or closes its registration (the public
    pages that list events then change)."""
    now = timezone.now()
    moments = public_events().aggregate(
        starts=Min("starts_at", filter=Q(starts_at__gt=now)),
        ends=Min("ends_at", filter=Q(ends_at__gt=now)),
        registration=Min("registration_deadline", filter=Q(registration_deadline__gt=now)),
    )
    return min((moment for moment in moments.values() if moment is not None), default=None)


def info_days_of_call(call_id: int) -> QuerySet[Event]:
    """The call's upcoming and past published info days, for its public page."""
    return Event.objects.filter(
        call_id=call_id, kind=EventKind.INFO_DAY, state=EventState.PUBLISHED
    ).order_by("starts_at", "pk")


def has_ended(event: Event) -> bool:
    return event.ends_at <= timezone.now()


def active_registration(event_id: int, user) -> Registration | None:
    """The person's confirmed or waiting registration for the event, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.select_related("event")
        .filter(event_id=event_id, user=user, status__in=RegistrationStatus.active())
        .first()
    )


def waiting_position(registration: Registration) -> int:
    """1 for the first on the waiting list."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITING,
            registered_at__lte=registration.registered_at,
        )
        .exclude(registered_at=registration.registered_at, pk__gt=registration.pk)
        .count()
    )


def upcoming_registrations_of(user) -> list[Registration]:
    return list(
        Registration.objects.select_related("event")
        .filter(
            user=user,
            status__in=RegistrationStatus.active(),
            event__ends_at__gt=timezone.now(),
        )
        .order_by("event__starts_at", "pk")
    )


def staff_upcoming_events(limit: int = 5) -> list[Event]:
    """Staff's next events, drafts included (they still have to be published), each with its
    confirmed and waiting counts; cancelled and ended events are left out."""
    return list(
        Event.objects.filter(state__in=EventState.editable(), ends_at__gt=timezone.now())
        .annotate(
            confirmed=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            ),
            waiting=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
            ),
        )
        .order_by("starts_at", "pk")[:limit]
    )


def participants(event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user", "organisation")
        .order_by("status", "registered_at", "pk")
    )


def open_calls() -> QuerySet[Call]:
    """Calls open for applications now, as the calls app decides it (`Call.is_open_at`: a call
    without a closing date stays open once it opened), nearest deadline first. Only a call whose
    stored state follows the clock can be open: those few are read and asked."""
    now = timezone.now()
    candidates = Call.objects.filter(state__in=CallState.clock_driven()).only(
        "state", "opens_at", "closes_at"
    )
    return Call.objects.filter(
        pk__in=[call.pk for call in candidates if call.is_open_at(now)]
    ).order_by(F("closes_at").asc(nulls_last=True), "pk")


def held_meetings() -> QuerySet[Meeting]:
    """Meetings placed for accepted requests at published events that have ended."""
    return Meeting.objects.filter(
        request__state=MeetingRequestState.ACCEPTED,
        event__state=EventState.PUBLISHED,
        event__ends_at__lte=timezone.now(),
    )


def event_figures() -> dict[str, int]:
    """The public figures of the events: events held (published, ended), their confirmed
    participants, the meetings held, and the meetings that formed a consortium (a side said so)."""
    held = Event.objects.filter(state=EventState.PUBLISHED, ends_at__lte=timezone.now())
    meetings = held_meetings()
    return {
        "events_held": held.count(),
        "participants": Registration.objects.filter(
            event__in=held, status=RegistrationStatus.CONFIRMED
        ).count(),
        "meetings_held": meetings.count(),
        "consortia_formed": meetings.filter(
            Exists(
                MeetingOutcome.objects.filter(
                    meeting_request=OuterRef("request"), led_to_consortium=True
                )
            )
        ).count(),
    }


def organisation_pairs_met() -> set[frozenset[int]]:
    """Pairs of organisations that held a one-to-one meeting at an event."""
    rows = held_meetings().values_list(
        "request__requester__organisation_id", "request__addressee__organisation_id"
    )
    return {frozenset(row) for row in rows if None not in row and row[0] != row[1]}
