"""When an action on an event is allowed now: each ``*_refusal`` gives the one-line reason it is
refused, or ``None``; the service raises that line and the page shows it instead of the button."""

from datetime import datetime

from django.utils.translation import gettext

from events.models import Event, EventState


def publish_refusal(event: Event, now: datetime) -> str | None:
    if event.state != EventState.DRAFT:
        return gettext("Only a draft event can be published; this one is “%(state)s”.") % {
            "state": EventState(event.state).label
        }
    if event.registration_deadline <= now:
        return gettext("The registration deadline has passed: move it before publishing.")
    return None


def cancel_refusal(event: Event, now: datetime) -> str | None:
    if event.state == EventState.CANCELLED:
        return gettext("The event is already cancelled.")
    if event.ends_at <= now:
        return gettext("The event has ended: it can no longer be cancelled.")
    return None


def edit_refusal(event: Event, now: datetime) -> str | None:
    if event.state == EventState.CANCELLED:
        return gettext("A cancelled event cannot be edited.")
    return None


def material_refusal(event: Event, now: datetime) -> str | None:
    """Materials are published after the event, for an event that took place."""
    if event.state != EventState.PUBLISHED:
        return gettext("Materials are added to a published event only.")
    if event.ends_at > now:
        return gettext("Materials are published once the event has ended.")
    return None
