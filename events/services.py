"""Every write to events: validated, permission-checked, atomic, and recorded in the ledger
(ids and codes only: titles and descriptions are public texts of the event itself)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_consortium_staff
from calls.models import FileKind
from events import preconditions
from events.models import (
    Event,
    EventMaterial,
    EventState,
    Meeting,
    MeetingRequest,
    MeetingRequestState,
    Registration,
    RegistrationStatus,
)
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

EDITABLE_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "online_link",
    "language",
    "capacity",
    "registration_deadline",
    "call",
)

# Slides are shared as PDF (or the documents people fill in); recordings as links.
MATERIAL_FILE_KINDS = (FileKind.PDF, FileKind.DOCX, FileKind.XLSX)
MATERIAL_MAX_BYTES = 20 * 1024 * 1024


def _ensure_staff(actor: User) -> None:
    if not is_consortium_staff(actor):
        raise PermissionDenied(_("Only programme staff manage events."))


def _validated(event: Event) -> Event:
    event.full_clean(exclude=["state", "published_at"])
    return event


def create_event(*, actor: User, **fields: Any) -> Event:
    """A new event, in draft: nobody but staff sees it until it is published."""
    _ensure_staff(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an event field: {sorted(unknown)}")
    event = _validated(Event(**fields))
    with transaction.atomic():
        event.save()
        record(
            action="events.event.created",
            target=event,
            actor=actor,
            data={"kind": event.kind, "call": event.call_id},
        )
    return event


def update_event(*, event: Event, actor: User, **fields: Any) -> Event:
    _ensure_staff(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an event field: {sorted(unknown)}")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        refusal = preconditions.edit_refusal(event, timezone.now())
        if refusal:
            raise ValidationError(refusal)
        changed = sorted(name for name, value in fields.items() if getattr(event, name) != value)
        for name, value in fields.items():
            setattr(event, name, value)
        _validated(event).save()
        if changed:
            record(
                action="events.event.changed", target=event, actor=actor, data={"fields": changed}
            )
    return event


def publish_event(*, event: Event, actor: User) -> Event:
    """Publishing twice (two clicks) refuses the second: the event is locked, then checked."""
    _ensure_staff(actor)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        now = timezone.now()
        refusal = preconditions.publish_refusal(event, now)
        if refusal:
            raise ValidationError(refusal)
        event.state = EventState.PUBLISHED
        event.published_at = now
        event.save(update_fields=["state", "published_at"])
        record(action="events.event.published", target=event, actor=actor)
    return event


def cancel_event(*, event: Event, actor: User) -> Event:
    """Staff cancel an event that has not ended: its meeting requests and meetings are cancelled
    with it, and everyone registered or waiting is told by one e-mail (not one per meeting)."""
    _ensure_staff(actor)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        refusal = preconditions.cancel_refusal(event, timezone.now())
        if refusal:
            raise ValidationError(refusal)
        previous = event.state
        event.state = EventState.CANCELLED
        event.save(update_fields=["state"])
        Meeting.objects.filter(event=event).delete()
        requests_cancelled = MeetingRequest.objects.filter(
            event=event, state__in=MeetingRequestState.active()
        ).update(state=MeetingRequestState.CANCELLED)
        people = [
            registration.user
            for registration in Registration.objects.select_related("user")
            .filter(event=event, status__in=RegistrationStatus.active())
            .order_by("pk")
        ]
        enqueue(
            template="events/event_cancelled",
            subject=_("Cancelled: %s") % event.title,
            recipients=people,
            context={"event_title": event.title, "url": reverse("events:detail", args=[event.pk])},
        )
        record(
            action="events.event.cancelled",
            target=event,
            actor=actor,
            data={
                "from": previous,
                "people_told": len(people),
                "meeting_requests_cancelled": requests_cancelled,
            },
        )
    return event


def add_material(
    *,
    event: Event,
    actor: User,
    title: str,
    url: str = "",
    upload: UploadedFile | None = None,
    kind: str = "",
) -> EventMaterial:
    """Slides or a recording for an event that took place: a link (`url`), or a file (`upload`
    of the `kind` detected from its content by the form; stored under a random private name)."""
    _ensure_staff(actor)
    if bool(url) == (upload is not None):
        raise ValidationError(_("Give either a link or a file, not both."))
    if upload is not None and kind not in MATERIAL_FILE_KINDS:
        raise ValidationError(_("Upload a PDF, DOCX or XLSX document (checked by content)."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        refusal = preconditions.material_refusal(event, timezone.now())
        if refusal:
            raise ValidationError(refusal)
        material = EventMaterial(event=event, title=title, url=url, kind=kind if upload else "")
        material.full_clean(exclude=["event", "file"])
        if upload is not None:
            material.file.save("material", upload, save=False)
        material.save()
        record(
            action="events.material.added",
            target=material,
            actor=actor,
            data={"event": event.pk, "file": upload is not None},
        )
    return material
