"""Refusals shared by pages and services: the page hides the button and says why, the service
refuses with the same sentence."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import ErasureRequest, Membership, User


def erasure_refusal(user: User) -> str | None:
    """Why `user` cannot be erased now, or None.

    A sole administrator of an organisation that has other members is refused: erasing them
    would leave people in an organisation nobody can manage (invite, sign declarations, edit),
    and handing the role over takes one click on the organisation page. A sole administrator who
    is also the organisation's only member is allowed: nobody could take over, and the
    organisation's own records (applications, vouchers, public results) stay the organisation's.
    """
    if ErasureRequest.objects.filter(user=user).exists():
        return _("This account has already been erased.")
    stranded = (
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN)
        .annotate(
            admins=Count(
                "organisation__memberships",
                filter=Q(organisation__memberships__role=Membership.Role.ADMIN),
                distinct=True,
            ),
            members=Count("organisation__memberships", distinct=True),
        )
        .filter(admins=1, members__gt=1)
        .select_related("organisation")
        .order_by("organisation__legal_name")
    )
    names = [membership.organisation.legal_name for membership in stranded]
    if names:
        return _(
            "You are the only administrator of %(organisations)s, which has other members: make "
            "one of them an administrator first, so the organisation can still be managed."
        ) % {"organisations": ", ".join(names)}
    return None
