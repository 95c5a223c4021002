"""What the events app holds about a person, for the "My data" download: their registrations
(with attendance), their brokerage offer, needs and availability, the meeting requests they
sent or received (with the messages) and their placed meetings. The other side of a request or
meeting is named by its organisation only: the other person's data is theirs to download."""

from typing import Any

from django.db.models import Q

from events.models import BrokerageProfile, MeetingRequest, MeetingSeat, Registration
from minegap.core.personal_data import ExportSection, plain


def _side(registration: Registration) -> dict[str, Any] | None:
    organisation = registration.organisation
    if organisation is None:
        return None
    return {"id": organisation.pk, "legal_name": organisation.legal_name}


def _registrations(user) -> list[dict[str, Any]]:
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event", "organisation")
        .order_by("registered_at", "pk")
    )
    return [
        {
            "event": {"id": r.event_id, "title": r.event.title, "starts_at": r.event.starts_at},
            "on_behalf_of": _side(r),
            "status": r.status,
            "registered_at": r.registered_at,
            "attended": r.attended,
        }
        for r in registrations
    ]


def _brokerage_profiles(user) -> list[dict[str, Any]]:
    profiles = (
        BrokerageProfile.objects.filter(registration__user=user)
        .select_related("registration")
        .order_by("registration__registered_at", "pk")
    )
    return [
        {
            "event": p.registration.event_id,
            "offer": p.offer,
            "seek": p.seek,
            "available_slots": p.available_slots,
            "published_at": p.published_at,
        }
        for p in profiles
    ]


def _meeting_requests(user) -> list[dict[str, Any]]:
    requests = (
        MeetingRequest.objects.filter(Q(requester__user=user) | Q(addressee__user=user))
        .select_related("requester__organisation", "addressee__organisation")
        .order_by("created_at", "pk")
    )
    exported = []
    for request in requests:
        sent = request.requester.user_id == user.pk
        other = request.addressee if sent else request.requester
        exported.append(
            {
                "event": request.event_id,
                "sent_by_you": sent,
                "other_side": _side(other),
                "message": request.message,
                "state": request.state,
                "sent_at": request.created_at,
                "answered_at": request.answered_at,
            }
        )
    return exported


def _meetings(user) -> list[dict[str, Any]]:
    seats = (
        MeetingSeat.objects.filter(participant__user=user)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )
    return [
        {
            "event": seat.event_id,
            "starts_at": seat.meeting.starts_at,
            "ends_at": seat.meeting.ends_at,
            "table": seat.meeting.table,
        }
        for seat in seats
    ]


def export(user) -> dict[str, Any]:
    return plain(
        {
            "registrations": _registrations(user),
            "brokerage_profiles": _brokerage_profiles(user),
            "meeting_requests": _meeting_requests(user),
            "meetings": _meetings(user),
        }
    )


def section() -> ExportSection:
    return ExportSection(name="events", export=export)
