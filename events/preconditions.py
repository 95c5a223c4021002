"""When an action on an event is allowed now: each ``*_refusal`` gives the one-line reason it is
refused, or ``None``; the service raises that line and the page shows it instead of the button."""

from datetime import datetime

from django.utils.translation import gettext

from events.models import Event, EventKind, EventState, Registration, RegistrationStatus


def publish_refusal(event: Event, now: datetime) -> str | None:
    if event.state != EventState.DRAFT:
        return gettext("Only a draft event can be published; this one is “%(state)s”.") % {
            "state": EventState(event.state).label
        }
    # An event that has ended may be published for its record and materials.
    if event.registration_deadline <= now < event.ends_at:
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


def needs_organisation(event: Event) -> bool:
    """At a brokerage event people meet as organisations: they register on behalf of one."""
    return event.kind == EventKind.BROKERAGE


def registration_refusal(event: Event, user, now: datetime) -> str | None:
    if event.state != EventState.PUBLISHED:
        return gettext("Registration is open for published events only.")
    if event.registration_deadline <= now:
        return gettext("Registration for this event has closed.")
    if event.registrations.filter(user=user, status__in=RegistrationStatus.active()).exists():
        return gettext("You are already registered for this event.")
    return None


def attendance_refusal(registration: Registration, now: datetime) -> str | None:
    if registration.status != RegistrationStatus.CONFIRMED:
        return gettext("Attendance is recorded for confirmed participants only.")
    if registration.event.starts_at > now:
        return gettext("Attendance is recorded once the event has started.")
    return None


def certificate_refusal(registration: Registration) -> str | None:
    if registration.event.kind != EventKind.TRAINING:
        return gettext("Certificates of attendance are issued for trainings.")
    if registration.attended is not True:
        return gettext("A certificate is issued once staff have recorded your attendance.")
    return None
