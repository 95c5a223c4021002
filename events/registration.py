"""Registration: places, the waiting list and its automatic promotion, attendance, reminders.

The event row is locked (`select_for_update`) before any place is counted or given, so two
people asking for the last place at once get one place and one waiting-list spot, and a
cancellation promotes exactly one person from the list.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.rules import is_consortium_staff, is_organisation_member
from events import brokerage, calendar, preconditions, timing
from events.models import Event, Registration, RegistrationStatus
from minegap.ledger.services import Entry, record, record_many
from minegap.notifications.services import enqueue

REMINDER_WINDOW = timedelta(days=1)


def _confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _announce(registration: Registration, template: str, subject: str) -> None:
    """The e-mail of a place given or promised, with the event in an .ics file."""
    event = registration.event
    enqueue(
        template=template,
        subject=subject,
        recipients=[registration.user],
        context={
            "event_title": event.title,
            "event_id": event.pk,
            "url": reverse("events:detail", args=[event.pk]),
            "when": timing.span_text(event.starts_at, event.ends_at, event.time_zone),
            "status": registration.status,
        },
        attachments=[calendar.stored_invitation(registration)]
        if registration.status == RegistrationStatus.CONFIRMED
        else [],
    )


def register(*, event: Event, user: User, organisation: Organisation | None = None) -> Registration:
    """A place if one is left, else a spot on the waiting list; the confirmation e-mail carries
    the event as an .ics file. A second click answers with the refusal, never a second row."""
    if organisation is not None and not is_organisation_member(user, organisation):
        raise PermissionDenied(_("You can register only on behalf of your own organisation."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        refusal = preconditions.registration_refusal(event, user, timezone.now())
        if refusal:
            raise ValidationError(refusal)
        if organisation is None and preconditions.needs_organisation(event):
            raise ValidationError(_("Choose the organisation you register for."))
        full = _confirmed_count(event) >= event.capacity
        status = RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event, user=user, organisation=organisation, status=status
                )
        except IntegrityError as error:
            raise ValidationError(_("You are already registered for this event.")) from error
        if status == RegistrationStatus.CONFIRMED:
            _announce(registration, "events/registered", _("Your place: %s") % event.title)
        else:
            _announce(registration, "events/waiting", _("Waiting list: %s") % event.title)
        record(
            action=f"events.registration.{status}",
            target=registration,
            actor=user,
            data={"event": event.pk, "organisation": organisation.pk if organisation else None},
        )
    return registration


def cancel(*, registration: Registration, actor: User) -> Registration:
    """The person (or staff) cancels; a confirmed place goes to the first on the waiting list,
    who is told by e-mail. The entries (this one, the meetings left, the promotion) are appended
    together once every row is written and every e-mail queued: the head lock is taken last."""
    if actor.pk != registration.user_id and not is_consortium_staff(actor):
        raise PermissionDenied(_("Only the person registered can cancel this registration."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise ValidationError(_("This registration is already cancelled."))
        if event.starts_at <= timezone.now():
            raise ValidationError(
                _("The event has started: the registration can no longer be cancelled.")
            )
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "status_changed_at"])
        entries = [
            Entry(
                action="events.registration.cancelled",
                target=registration,
                actor=actor,
                data={"event": event.pk},
            ),
            *brokerage.release_participant(registration=registration, actor=actor),
        ]
        if was_confirmed:
            entries += _promote_next(event)
        record_many(entries)
    return registration


def _promote_next(event: Event) -> list[Entry]:
    """Give a freed place to the first on the waiting list (the event is locked by the caller).
    Returns the promotion's ledger entry, if any, for the caller to append last."""
    if _confirmed_count(event) >= event.capacity:
        return []
    promoted = (
        Registration.objects.select_for_update()
        .filter(event=event, status=RegistrationStatus.WAITING)
        .order_by("registered_at", "pk")
        .first()
    )
    if promoted is None:
        return []
    promoted.status = RegistrationStatus.CONFIRMED
    promoted.save(update_fields=["status", "status_changed_at"])
    _announce(promoted, "events/registered", _("A place is yours: %s") % event.title)
    return [
        Entry(
            action="events.registration.promoted",
            target=promoted,
            actor=None,
            data={"event": event.pk},
        )
    ]


def record_attendance(*, registration: Registration, attended: bool, actor: User) -> Registration:
    if not is_consortium_staff(actor):
        raise PermissionDenied(_("Only programme staff record attendance."))
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        )
        refusal = preconditions.attendance_refusal(registration, timezone.now())
        if refusal:
            raise ValidationError(refusal)
        if registration.attended is attended:
            return registration
        registration.attended = attended
        registration.save(update_fields=["attended", "status_changed_at"])
        record(
            action="events.registration.attendance",
            target=registration,
            actor=actor,
            data={"event": registration.event_id, "attended": attended},
        )
    return registration


def send_reminders(*, now: datetime | None = None) -> int:
    """The day before: each confirmed participant of a published event starting within the next
    24 hours gets one reminder. Idempotent: `reminded_at` is set under a lock in the same
    transaction as the outbox row, so a rerun (or a second worker) finds nothing left to send."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        due = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "user")
            .filter(
                status=RegistrationStatus.CONFIRMED,
                reminded_at__isnull=True,
                event__state="published",
                event__starts_at__gt=now,
                event__starts_at__lte=now + REMINDER_WINDOW,
            )
        )
        for registration in due:
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at"])
            _announce(registration, "events/reminder", _("Tomorrow: %s") % registration.event.title)
            sent += 1
    return sent
