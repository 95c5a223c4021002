"""Who may do what with events (django-rules)."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.rules import by_role, is_consortium_staff
from events.models import EventKind, Registration, RegistrationStatus
from minegap.ledger.labels import register_action_labels


@rules.predicate
def is_brokerage_participant(user, event) -> bool:
    """A confirmed participant of this brokerage event."""
    if event is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        event.kind == EventKind.BROKERAGE
        and Registration.objects.filter(
            event=event, user=user, status=RegistrationStatus.CONFIRMED
        ).exists()
    )


# Staff create, edit, publish and cancel events and add their materials.
rules.add_perm("events.manage_events", by_role(is_consortium_staff))
# A brokerage event's confirmed participants (and staff) see who takes part and what they offer.
rules.add_perm("events.view_brokerage", is_brokerage_participant | by_role(is_consortium_staff))
# Only its confirmed participants publish offers, state availability and request meetings.
rules.add_perm("events.take_part_in_brokerage", is_brokerage_participant)

register_action_labels(
    {
        "events.event.created": _("Event created"),
        "events.event.changed": _("Event changed"),
        "events.event.published": _("Event published"),
        "events.event.cancelled": _("Event cancelled"),
        "events.material.added": _("Event material added"),
        "events.registration.confirmed": _("Event place given"),
        "events.registration.waiting": _("Put on an event's waiting list"),
        "events.registration.promoted": _("Promoted from an event's waiting list"),
        "events.registration.cancelled": _("Event registration cancelled"),
        "events.registration.attendance": _("Event attendance recorded"),
        "events.meeting.moved": _("Meeting moved on the grid"),
        "events.meeting.outcome": _("Meeting outcome recorded"),
        "events.meeting.application_started": _("Application started from a meeting"),
        "events.brokerage.configured": _("Meeting grid set"),
        "events.brokerage.profile_published": _("Brokerage offer and seek published"),
        "events.brokerage.availability_set": _("Brokerage availability set"),
        "events.brokerage.scheduled": _("Meetings scheduled"),
        "events.meeting.requested": _("Meeting requested"),
        "events.meeting.accepted": _("Meeting accepted"),
        "events.meeting.declined": _("Meeting declined"),
        "events.meeting.cancelled": _("Meeting cancelled"),
        "events.meeting.placed": _("Meeting placed on the grid"),
    }
)
