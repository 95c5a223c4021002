"""What the calls app erases when a person asks (registered in ``CallsConfig.ready``).

Applications are their organisations' records, not the person's: they stay (those of funded
projects are kept by the vouchers app's retention rule, unsuccessful ones by the call's own
period) and name the person only through the pseudonymised account. What goes is the person's
address in consortium invitations: an invitation nobody accepted yet is withdrawn.
"""

from datetime import datetime

from django.utils.translation import ngettext

from accounts.models import User
from calls.models import ConsortiumMember
from minegap.core.personal_data import ErasureOutcome, ErasureSection


def erase(user: User, now: datetime) -> ErasureOutcome:
    invited = ConsortiumMember.objects.filter(invited_email__iexact=user.email)
    # A row without an organisation is only an address (an invitation nobody accepted): it goes,
    # and the lead may invite someone else.
    pending, _per_model = invited.filter(organisation__isnull=True).delete()
    # A member row also names its organisation, so the address can go and the row stays.
    blanked = invited.filter(organisation__isnull=False).update(invited_email="")
    erased = []
    if pending or blanked:
        erased.append(
            ngettext(
                "%(count)d invitation to join a consortium sent to your address",
                "%(count)d invitations to join consortia sent to your address",
                pending + blanked,
            )
            % {"count": pending + blanked}
        )
    return ErasureOutcome(erased=erased, kept=[])


def section() -> ErasureSection:
    return ErasureSection(name="calls", erase=erase)
