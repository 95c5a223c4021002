"""Reads of events."""

from django.db.models import QuerySet
from django.utils import timezone

from events.models import Event, EventKind, EventState


def public_events() -> QuerySet[Event]:
    """Published and cancelled events (a cancelled one stays visible, marked, so nobody travels
    to it); drafts are for staff only."""
    return Event.objects.filter(
        state__in=(EventState.PUBLISHED, EventState.CANCELLED)
    ).select_related("call")


def info_days_of_call(call_id: int) -> QuerySet[Event]:
    """The call's upcoming and past published info days, for its public page."""
    return Event.objects.filter(
        call_id=call_id, kind=EventKind.INFO_DAY, state=EventState.PUBLISHED
    ).order_by("starts_at", "pk")


def has_ended(event: Event) -> bool:
    return event.ends_at <= timezone.now()
