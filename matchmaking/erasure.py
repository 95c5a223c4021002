"""What matchmaking erases when a person asks (registered in ``MatchmakingConfig.ready``).

A partner profile is the organisation's, written by whichever administrator: its texts stay
with the organisation. What is the person's own goes: being its contact person (their name and
address would be shown to accepted partners) and the messages they wrote in contact requests.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from matchmaking.models import ExpressionOfInterest, PartnerProfile
from minegap.core.personal_data import ErasureOutcome, ErasureSection


def erase(user: User, now: datetime) -> ErasureOutcome:
    erased: list[str] = []
    for profile in PartnerProfile.objects.filter(contact_person=user).order_by("pk"):
        erased.append(
            _("Contact person of %(organisation)s's partner profile")
            % {"organisation": profile.name}
        )
    PartnerProfile.objects.filter(contact_person=user).update(contact_person=None)

    messages = ExpressionOfInterest.objects.filter(sent_by=user).exclude(message="")
    count = messages.update(message="")
    if count:
        erased.append(
            ngettext(
                "The message you wrote in %(count)d contact request",
                "The messages you wrote in %(count)d contact requests",
                count,
            )
            % {"count": count}
        )
    return ErasureOutcome(erased=erased, kept=[])


def section() -> ErasureSection:
    return ErasureSection(name="matchmaking", erase=erase)
