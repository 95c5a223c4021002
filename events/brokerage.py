"""B2B brokerage: the meeting grid, participants' offer/seek and availability, meeting requests
and their answers, and the placement of accepted meetings (see `meeting_placement`).

Every write locks the event's row first (as registration does), so two requests between the same
people, an answer and a cancellation, or two placements into the same slot never interleave; the
database's unique constraints (one active request per pair, one meeting per table and slot, one
seat per person and slot) are the second line of defence.
"""

import itertools
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_consortium_staff
from events import brokerage_grid, brokerage_selectors, meeting_placement
from events.models import (
    BrokerageProfile,
    BrokerageSession,
    BrokerageSettings,
    Event,
    EventKind,
    EventState,
    Meeting,
    MeetingRequest,
    MeetingRequestState,
    Registration,
    RegistrationStatus,
)
from matchmaking.models import PartnerProfile
from minegap.ledger.services import Entry, record, record_many
from minegap.notifications.services import enqueue

MAX_TABLES = 500


# --- who takes part -----------------------------------------------------------------------------


def participation(event: Event, user: User) -> Registration | None:
    """The person's confirmed registration for this brokerage event, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.select_related("organisation")
        .filter(event=event, user=user, status=RegistrationStatus.CONFIRMED)
        .first()
    )


def brokerage_refusal(event: Event, now: datetime) -> str | None:
    """Why participants cannot request or answer meetings at this event now, or None."""
    if event.kind != EventKind.BROKERAGE:
        return _("Only a brokerage event has one-to-one meetings.")
    if event.state != EventState.PUBLISHED:
        return _("One-to-one meetings are arranged for published events only.")
    if event.ends_at <= now:
        return _("The event has ended: meetings can no longer be arranged.")
    return None


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _refuse(refusal: str | None) -> None:
    if refusal:
        raise ValidationError(refusal)


def _confirmed_registration(registration: Registration, user: User) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.user_id != user.pk:
        raise PermissionDenied(_("Only the participant themselves can do this."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Only confirmed participants take part in the meetings."))
    return registration


# --- the grid (staff) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GridSaved:
    """The grid saved, and how many participants' chosen times it took away (they were
    e-mailed): all of them, or some."""

    settings: BrokerageSettings
    availabilities_emptied: int
    availabilities_narrowed: int


def configure_brokerage(
    *,
    event: Event,
    actor: User,
    meeting_minutes: int,
    tables: int,
    sessions: list[tuple[datetime, datetime]] | None = None,
) -> GridSaved:
    """Set the meeting grid: meeting length, tables and the sessions' windows (none: the whole
    event). Once meetings are placed, tables, slots and sessions can still be added: placed
    meetings keep their time and table (their slot number follows if slots come before them),
    availabilities follow their slots, and participants who lose chosen times are e-mailed. A
    change that would leave a placed meeting without its slot or table is refused, naming how
    many, until staff move or cancel them."""
    if not is_consortium_staff(actor):
        raise PermissionDenied(_("Only programme staff manage events."))
    sessions = sorted(sessions or [])
    with transaction.atomic():
        event = _lock_event(event)
        if event.kind != EventKind.BROKERAGE:
            raise ValidationError(_("Only a brokerage event has a meeting grid."))
        if event.state == EventState.CANCELLED:
            raise ValidationError(_("A cancelled event cannot be edited."))
        if not 5 <= meeting_minutes <= 240:
            raise ValidationError(_("A meeting lasts between 5 and 240 minutes."))
        if not 1 <= tables <= MAX_TABLES:
            raise ValidationError(
                _("The number of tables is between 1 and %(max)d.") % {"max": MAX_TABLES}
            )
        for start, end in sessions:
            if not (event.starts_at <= start < end <= event.ends_at):
                raise ValidationError(_("Each session starts before it ends, within the event."))
        for (_start, end), (start, _end) in itertools.pairwise(sessions):
            if start < end:
                raise ValidationError(_("Sessions must not overlap."))
        slots = brokerage_grid.cut_slots(
            sessions if sessions else brokerage_grid.windows_of(event, []), meeting_minutes
        )
        if not slots:
            raise ValidationError(_("The sessions are too short for one meeting."))
        current = BrokerageSettings.objects.filter(event=event).first()
        regridded = {}
        if current is not None:
            kept = brokerage_grid.renumbering(brokerage_grid.event_slots(current), slots)
            regridded = meeting_placement.regrid(event, kept, tables, slots)
        settings, _created = BrokerageSettings.objects.update_or_create(
            event=event, defaults={"meeting_minutes": meeting_minutes, "tables": tables}
        )
        BrokerageSession.objects.filter(event=event).delete()
        BrokerageSession.objects.bulk_create(
            BrokerageSession(event=event, starts_at=start, ends_at=end) for start, end in sessions
        )
        record(
            action="events.brokerage.configured",
            target=settings,
            actor=actor,
            data={
                "event": event.pk,
                "meeting_minutes": meeting_minutes,
                "tables": tables,
                "sessions": len(sessions),
                "slots": len(slots),
                **regridded,
            },
        )
    return GridSaved(
        settings=settings,
        availabilities_emptied=regridded.get("availabilities_emptied", 0),
        availabilities_narrowed=regridded.get("availabilities_narrowed", 0),
    )


# --- a participant's offer, seek and availability -----------------------------------------------


def default_texts(registration: Registration) -> tuple[str, str]:
    """Offer and seek from the organisation's partner profile: its offers and its requests."""
    return brokerage_selectors.texts_of_partner_profile(
        PartnerProfile.objects.filter(organisation_id=registration.organisation_id).first()
    )


def publish_profile(
    *, registration: Registration, actor: User, offer: str, seek: str
) -> BrokerageProfile:
    """The participant publishes what they offer and seek; other participants see it."""
    with transaction.atomic():
        event = _lock_event(registration.event)
        _refuse(brokerage_refusal(event, timezone.now()))
        registration = _confirmed_registration(registration, actor)
        offer, seek = offer.strip(), seek.strip()
        if not offer and not seek:
            raise ValidationError(_("Say what you offer or what you seek."))
        profile, _created = BrokerageProfile.objects.get_or_create(registration=registration)
        profile.offer, profile.seek = offer, seek
        profile.published_at = profile.published_at or timezone.now()
        profile.full_clean(exclude=["registration"])
        profile.save()
        record(
            action="events.brokerage.profile_published",
            target=profile,
            actor=actor,
            data={"event": event.pk, "registration": registration.pk},
        )
    return profile


def set_availability(
    *, registration: Registration, actor: User, slots: list[int] | None
) -> BrokerageProfile:
    """The slots the participant can attend (None: all of them). Every slot of the grid is
    stored as None too, "the whole grid", which covers the slots staff add later: a person who
    ticked every time they were offered is there throughout, while one who ticked some is
    offered only those (they were never asked about a time added since). A slot where they
    already have a meeting cannot be taken away: cancel the meeting first."""
    with transaction.atomic():
        event = _lock_event(registration.event)
        _refuse(brokerage_refusal(event, timezone.now()))
        registration = _confirmed_registration(registration, actor)
        settings = BrokerageSettings.objects.filter(event=event).first()
        if settings is None:
            raise ValidationError(_("The meeting grid of this event is not set yet."))
        count = len(brokerage_grid.event_slots(settings))
        if slots is not None:
            slots = sorted(set(slots))
            if any(not 0 <= slot < count for slot in slots):
                raise ValidationError(_("Choose slots of this event's meeting grid."))
            if not slots:
                raise ValidationError(_("Choose at least one slot you can attend."))
            busy = set(
                registration.meeting_seats.filter(event=event).values_list("slot", flat=True)
            )
            if busy - set(slots):
                raise ValidationError(
                    _("You have a meeting in a slot you removed: cancel that meeting first.")
                )
            if len(slots) == count:
                slots = None
        profile, _created = BrokerageProfile.objects.get_or_create(registration=registration)
        profile.available_slots = slots
        profile.save(update_fields=["available_slots", "updated_at"])
        record(
            action="events.brokerage.availability_set",
            target=profile,
            actor=actor,
            data={"event": event.pk, "slots": None if slots is None else len(slots)},
        )
    return profile


# --- meeting requests ---------------------------------------------------------------------------


def _mail(request: MeetingRequest, template: str, subject: str, to: Registration) -> None:
    event = request.event
    enqueue(
        template=f"events/{template}",
        subject=subject % {"title": event.title},
        recipients=[to.user],
        context={
            "event_title": event.title,
            "url": reverse("events:detail", args=[event.pk]),
        },
    )


def request_refusal(requester: Registration, addressee: Registration) -> str | None:
    """Why `requester` cannot ask `addressee` for a meeting (both of the same event), or None."""
    if addressee.pk == requester.pk or addressee.user_id == requester.user_id:
        return _("You cannot request a meeting with yourself.")
    if addressee.status != RegistrationStatus.CONFIRMED:
        return _("You can request meetings only with confirmed participants of this event.")
    if requester.organisation_id and addressee.organisation_id == requester.organisation_id:
        return _("This participant is from your own organisation.")
    pair = MeetingRequest.objects.filter(
        state__in=MeetingRequestState.active(),
        requester__in=(requester, addressee),
        addressee__in=(requester, addressee),
    )
    if pair.filter(requester=requester).exists():
        return _("You have already requested a meeting with this participant.")
    if pair.exists():
        return _("This participant has already requested a meeting with you: answer it.")
    return None


def request_meeting(
    *, requester: Registration, addressee: Registration, actor: User, message: str = ""
) -> MeetingRequest:
    """A confirmed participant asks another confirmed participant of the same brokerage event;
    the addressee is told by e-mail. A second request for the same pair (either way) is refused."""
    if addressee.event_id != requester.event_id:
        raise ValidationError(_("You can request meetings only with participants of this event."))
    with transaction.atomic():
        event = _lock_event(requester.event)
        _refuse(brokerage_refusal(event, timezone.now()))
        requester = _confirmed_registration(requester, actor)
        addressee = Registration.objects.select_related("user").get(pk=addressee.pk)
        _refuse(request_refusal(requester, addressee))
        try:
            with transaction.atomic():
                meeting_request = MeetingRequest.objects.create(
                    event=event, requester=requester, addressee=addressee, message=message.strip()
                )
        except IntegrityError as error:
            raise ValidationError(
                _("You have already requested a meeting with this participant.")
            ) from error
        _mail(meeting_request, "meeting_requested", _("Meeting request: %(title)s"), addressee)
        record(  # last: the chain's head lock (tests/ledger_order.py)
            action="events.meeting.requested",
            target=meeting_request,
            actor=actor,
            data={"event": event.pk, "requester": requester.pk, "addressee": addressee.pk},
            notes={"message": meeting_request.message} if meeting_request.message else None,
        )
    return meeting_request


def _locked_request(meeting_request: MeetingRequest) -> tuple[Event, MeetingRequest]:
    event = _lock_event(meeting_request.event)
    locked = (
        MeetingRequest.objects.select_for_update()
        .select_related("event", "requester__user", "addressee__user")
        .get(pk=meeting_request.pk)
    )
    return event, locked


def accept_meeting(*, meeting_request: MeetingRequest, actor: User) -> MeetingRequest:
    """Only the addressee accepts; the meeting is placed at once in the earliest slot both can
    attend with a free table, if there is one (else it waits for staff's "schedule all").
    Both entries are appended once the meeting is placed and the e-mails queued: the head lock
    is taken last."""
    with transaction.atomic():
        event, meeting_request = _locked_request(meeting_request)
        _answer_checks(event, meeting_request, actor)
        meeting_request.state = MeetingRequestState.ACCEPTED
        meeting_request.answered_at = timezone.now()
        meeting_request.save(update_fields=["state", "answered_at"])
        _mail(
            meeting_request,
            "meeting_accepted",
            _("Meeting accepted: %(title)s"),
            meeting_request.requester,
        )
        meeting = meeting_placement.place_now(meeting_request)
        entries = [
            Entry(
                action="events.meeting.accepted",
                target=meeting_request,
                actor=actor,
                data={"event": event.pk},
            )
        ]
        if meeting is not None:
            entries.append(meeting_placement.placed_entry(meeting, actor=None))
        record_many(entries)
    return meeting_request


def decline_meeting(*, meeting_request: MeetingRequest, actor: User) -> MeetingRequest:
    with transaction.atomic():
        event, meeting_request = _locked_request(meeting_request)
        _answer_checks(event, meeting_request, actor)
        meeting_request.state = MeetingRequestState.DECLINED
        meeting_request.answered_at = timezone.now()
        meeting_request.save(update_fields=["state", "answered_at"])
        _mail(
            meeting_request,
            "meeting_declined",
            _("Meeting declined: %(title)s"),
            meeting_request.requester,
        )
        record(  # last: the chain's head lock
            action="events.meeting.declined",
            target=meeting_request,
            actor=actor,
            data={"event": event.pk},
        )
    return meeting_request


def _answer_checks(event: Event, meeting_request: MeetingRequest, actor: User) -> None:
    if meeting_request.addressee.user_id != actor.pk:
        raise PermissionDenied(_("Only the participant asked can answer this request."))
    _refuse(brokerage_refusal(event, timezone.now()))
    if meeting_request.state != MeetingRequestState.REQUESTED:
        raise ValidationError(
            _("This request is already answered or cancelled (“%(state)s”).")
            % {"state": MeetingRequestState(meeting_request.state).label}
        )
    if meeting_request.requester.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("The requester no longer takes part in this event."))


def cancel_meeting(*, meeting_request: MeetingRequest, actor: User) -> MeetingRequest:
    """The requester withdraws a request not yet answered; either side (or staff) cancels an
    accepted one, which frees its slot and table. The other side is told by e-mail."""
    with transaction.atomic():
        event, meeting_request = _locked_request(meeting_request)
        sides = {meeting_request.requester.user_id, meeting_request.addressee.user_id}
        if meeting_request.state == MeetingRequestState.REQUESTED:
            if actor.pk != meeting_request.requester.user_id and not is_consortium_staff(actor):
                raise PermissionDenied(_("Only the requester can withdraw this request."))
        elif meeting_request.state == MeetingRequestState.ACCEPTED:
            if actor.pk not in sides and not is_consortium_staff(actor):
                raise PermissionDenied(_("Only the two participants can cancel this meeting."))
        else:
            raise ValidationError(_("This request is already declined or cancelled."))
        if event.ends_at <= timezone.now():
            raise ValidationError(_("The event has ended: meetings can no longer be cancelled."))
        previous = meeting_request.state
        meeting_request.state = MeetingRequestState.CANCELLED
        meeting_request.save(update_fields=["state"])
        Meeting.objects.filter(request=meeting_request).delete()
        for side in (meeting_request.requester, meeting_request.addressee):
            if side.user_id != actor.pk:
                _mail(meeting_request, "meeting_cancelled", _("Meeting cancelled: %(title)s"), side)
        record(  # last: the chain's head lock
            action="events.meeting.cancelled",
            target=meeting_request,
            actor=actor,
            data={"event": event.pk, "from": previous},
        )
    return meeting_request


# --- scheduling (staff) -------------------------------------------------------------------------


def schedule_meetings(*, event: Event, actor: User | None) -> dict[str, int | bool]:
    """Staff's "schedule all" (run by the `schedule_brokerage` task): places every accepted
    request still without a slot, optimally, keeping placed meetings where they are."""
    if actor is not None and not is_consortium_staff(actor):
        raise PermissionDenied(_("Only programme staff schedule the meetings."))
    with transaction.atomic():
        event = _lock_event(event)
        if not BrokerageSettings.objects.filter(event=event).exists():
            raise ValidationError(_("The meeting grid of this event is not set yet."))
        return meeting_placement.schedule_all(event=event, actor=actor)


def release_participant(*, registration: Registration, actor: User | None) -> list[Entry]:
    """A participant leaves (their registration was cancelled; the caller holds the event's
    lock): their open requests and meetings are cancelled, their slots freed, the other sides
    told. Returns the ledger entries, one per request cancelled, for the caller to append as its
    transaction's last step."""
    active = (
        MeetingRequest.objects.select_for_update()
        .select_related("event", "requester__user", "addressee__user")
        .filter(
            Q(requester=registration) | Q(addressee=registration),
            state__in=MeetingRequestState.active(),
        )
        .order_by("pk")
    )
    entries = []
    for meeting_request in active:
        previous = meeting_request.state
        meeting_request.state = MeetingRequestState.CANCELLED
        meeting_request.save(update_fields=["state"])
        Meeting.objects.filter(request=meeting_request).delete()
        entries.append(
            Entry(
                action="events.meeting.cancelled",
                target=meeting_request,
                actor=actor,
                data={
                    "event": meeting_request.event_id,
                    "from": previous,
                    "participant_left": True,
                },
            )
        )
        other = meeting_request.other_side(registration)
        _mail(meeting_request, "meeting_cancelled", _("Meeting cancelled: %(title)s"), other)
    return entries
