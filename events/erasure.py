"""What the events app erases when a person asks: their places at events still to come are
cancelled through the registration service (so the waiting list moves up and the other sides
of their meetings are told), and the texts they wrote (meeting-request messages, brokerage
offers and needs) are emptied. Past registrations and attendance stay, under the pseudonym:
they are records of what the programme held."""

from datetime import datetime

from django.utils.translation import ngettext

from accounts.models import User
from events import registration as registrations
from events.models import BrokerageProfile, MeetingRequest, Registration, RegistrationStatus
from minegap.core.personal_data import ErasureOutcome, ErasureSection


def erase(user: User, now: datetime) -> ErasureOutcome:
    erased: list[str] = []
    upcoming = Registration.objects.filter(
        user=user, status__in=RegistrationStatus.active(), event__starts_at__gt=now
    ).order_by("pk")
    cancelled = 0
    for registration in upcoming:
        registrations.cancel(registration=registration, actor=user)
        cancelled += 1
    if cancelled:
        erased.append(
            ngettext(
                "Your registration for %(count)d event still to come (cancelled)",
                "Your registrations for %(count)d events still to come (cancelled)",
                cancelled,
            )
            % {"count": cancelled}
        )

    messages = MeetingRequest.objects.filter(requester__user=user).exclude(message="")
    count = messages.update(message="")
    if count:
        erased.append(
            ngettext(
                "The message you wrote in %(count)d meeting request",
                "The messages you wrote in %(count)d meeting requests",
                count,
            )
            % {"count": count}
        )

    profiles = BrokerageProfile.objects.filter(registration__user=user).exclude(offer="", seek="")
    count = profiles.update(offer="", seek="")
    if count:
        erased.append(
            ngettext(
                "What you offered and sought at %(count)d brokerage event",
                "What you offered and sought at %(count)d brokerage events",
                count,
            )
            % {"count": count}
        )
    return ErasureOutcome(erased=erased, kept=[])


def section() -> ErasureSection:
    return ErasureSection(name="events", erase=erase)
