"""What happens to placed meetings: staff move them on the grid; after the event each side says
whether a meeting led to a consortium; two sides of an accepted meeting start an application
together (through the calls app's services, linked back to the meeting here).

Every write locks the event's row first, like the other brokerage services, so a move never
interleaves with a placement, a cancellation or another move; the database's constraints (one
meeting per table and slot, one seat per person and slot) are the second line of defence.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_consortium_staff
from calls import services as calls_services
from calls.models import Application, Call
from events import brokerage_grid, timing
from events.models import (
    BrokerageProfile,
    BrokerageSettings,
    Event,
    EventState,
    Meeting,
    MeetingApplication,
    MeetingOutcome,
    MeetingRequest,
    MeetingRequestState,
    MeetingSeat,
    Registration,
)
from minegap.ledger.services import record
from minegap.notifications.services import enqueue


def side_name(registration: Registration) -> str:
    """How a side of a meeting is named to staff: its organisation, else the person."""
    if registration.organisation_id:
        return registration.organisation.legal_name
    return registration.user.full_name or registration.user.email


def move_refusal(meeting: Meeting, slot: int, table: int, grid: list, tables: int) -> str | None:
    """Why `meeting` cannot go to `slot` at `table` now, or None (the caller holds the lock)."""
    event = meeting.event
    if event.state != EventState.PUBLISHED:
        return _("Meetings are moved at published events only.")
    if event.ends_at <= timezone.now():
        return _("The event has ended: its meetings can no longer be moved.")
    if not 0 <= slot < len(grid):
        return _("Choose a slot of this event's meeting grid.")
    if not 1 <= table <= tables:
        return _("Choose a table between 1 and %(tables)d.") % {"tables": tables}
    if (slot, table) == (meeting.slot, meeting.table):
        return _("The meeting is already there.")
    taken = Meeting.objects.filter(event=event, slot=slot, table=table).exclude(pk=meeting.pk)
    if taken.exists():
        return _("Table %(table)d is taken at that time by another meeting.") % {"table": table}
    sides = (meeting.request.requester, meeting.request.addressee)
    busy = set(
        MeetingSeat.objects.filter(event=event, slot=slot, participant__in=sides)
        .exclude(meeting=meeting)
        .values_list("participant_id", flat=True)
    )
    for side in sides:
        if side.pk in busy:
            return _("%(name)s already has another meeting at that time.") % {
                "name": side_name(side)
            }
    availability = dict(
        BrokerageProfile.objects.filter(registration__in=sides).values_list(
            "registration_id", "available_slots"
        )
    )
    for side in sides:
        chosen = availability.get(side.pk)
        if chosen is not None and slot not in chosen:
            return _("%(name)s said they cannot attend at that time.") % {"name": side_name(side)}
    return None


def move_meeting(*, meeting: Meeting, actor: User, slot: int, table: int) -> Meeting:
    """Staff move a placed meeting to a free table of another slot (or another table of the same
    slot). Refused, with the reason, when the table is taken, when either side has another
    meeting then or said they cannot attend, or when the event has ended. Both sides are told."""
    if not is_consortium_staff(actor):
        raise PermissionDenied(_("Only programme staff move meetings."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=meeting.event_id)
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related(
                "event",
                "request__requester__user",
                "request__requester__organisation",
                "request__addressee__user",
                "request__addressee__organisation",
            )
            .get(pk=meeting.pk)
        )
        settings = BrokerageSettings.objects.select_related("event").get(event=event)
        grid = brokerage_grid.event_slots(settings)
        refusal = move_refusal(meeting, slot, table, grid, settings.tables)
        if refusal:
            raise ValidationError(refusal)
        before = {"slot": meeting.slot, "table": meeting.table}
        meeting.slot, meeting.table = slot, table
        meeting.starts_at, meeting.ends_at = grid[slot].starts_at, grid[slot].ends_at
        try:
            with transaction.atomic():
                meeting.save(update_fields=["slot", "table", "starts_at", "ends_at", "placed_at"])
                meeting.seats.update(slot=slot)
        except IntegrityError as error:  # a concurrent writer the lock did not cover
            raise ValidationError(_("That slot and table were just taken: try another.")) from error
        enqueue(
            template="events/meeting_moved",
            subject=_("Your meeting has moved: %(title)s") % {"title": event.title},
            recipients=[meeting.request.requester.user, meeting.request.addressee.user],
            context={
                "event_title": event.title,
                "when": timing.span_text(meeting.starts_at, meeting.ends_at, event.time_zone),
                "table": table,
                "url": reverse("events:agenda", args=[event.pk]),
            },
        )
        record(
            action="events.meeting.moved",
            target=meeting,
            actor=actor,
            data={"event": event.pk, "from": before, "to": {"slot": slot, "table": table}},
        )
    return meeting


def _side_of(meeting_request: MeetingRequest, actor: User) -> Registration:
    for side in (meeting_request.requester, meeting_request.addressee):
        if side.user_id == actor.pk:
            return side
    raise PermissionDenied(_("Only the two participants of a meeting can do this."))


def outcome_refusal(meeting_request: MeetingRequest, now) -> str | None:
    if meeting_request.state != MeetingRequestState.ACCEPTED:
        return _("Only an accepted meeting can lead to a consortium.")
    if not Meeting.objects.filter(request=meeting_request).exists():
        return _("This meeting never got a time: it was not held.")
    if meeting_request.event.ends_at > now:
        return _("Say what a meeting led to once the event has ended.")
    return None


def record_outcome(
    *, meeting_request: MeetingRequest, actor: User, led_to_consortium: bool
) -> MeetingOutcome:
    """After the event, one side of a held meeting says whether it led to a consortium (again
    to change their answer: one row per side)."""
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=meeting_request.event_id)
        meeting_request = MeetingRequest.objects.select_related(
            "event", "requester", "addressee"
        ).get(pk=meeting_request.pk)
        side = _side_of(meeting_request, actor)
        refusal = outcome_refusal(meeting_request, timezone.now())
        if refusal:
            raise ValidationError(refusal)
        outcome, _created = MeetingOutcome.objects.update_or_create(
            meeting_request=meeting_request,
            participant=side,
            defaults={"led_to_consortium": led_to_consortium},
        )
        record(
            action="events.meeting.outcome",
            target=meeting_request,
            actor=actor,
            data={
                "event": meeting_request.event_id,
                "participant": side.pk,
                "led_to_consortium": led_to_consortium,
            },
        )
    return outcome


def start_application_together(
    *, meeting_request: MeetingRequest, actor: User, call: Call
) -> Application:
    """One side of an accepted meeting starts a draft application for `call`, led by the
    organisation they registered for, and invites the other side's organisation into it (the
    calls app's `create_application` and `invite_partner` check membership, the call being
    open and room in the consortium); the application links back to the meeting."""
    with transaction.atomic():
        meeting_request = MeetingRequest.objects.select_related(
            "event", "requester__organisation", "addressee__organisation"
        ).get(pk=meeting_request.pk)
        side = _side_of(meeting_request, actor)
        if meeting_request.state != MeetingRequestState.ACCEPTED:
            raise ValidationError(_("Only an accepted meeting can start an application."))
        other = meeting_request.other_side(side)
        if side.organisation is None or other.organisation is None:
            raise ValidationError(_("Both sides must have registered for an organisation."))
        application = calls_services.create_application(
            call=call, organisation=side.organisation, actor=actor
        )
        calls_services.invite_partner(
            application=application, organisation=other.organisation, invited_by=actor
        )
        MeetingApplication.objects.create(meeting_request=meeting_request, application=application)
        record(
            action="events.meeting.application_started",
            target=meeting_request,
            actor=actor,
            data={"event": meeting_request.event_id, "application": application.pk},
        )
    return application
