"""Who is hidden from whom: reads of the blocks, as conditions on the profile queries.

A block hides two organisations from each other, both ways: in the directory, its counts and
"Partners for you". The conditions are subqueries, so hiding costs no query of its own.
(`selectors.blocked_ids` answers the same question as a set, for single checks.)
"""

from django.db.models import Q, QuerySet

from accounts.models import Membership, Organisation, User
from matchmaking.models import OrganisationBlock


def hidden_from(organisations: list[Organisation] | Organisation) -> Q:
    """Profiles of organisations that blocked, or were blocked by, any of `organisations`."""
    if isinstance(organisations, Organisation):
        organisations = [organisations]
    ids = [o.pk for o in organisations]
    if not ids:
        return Q(pk__in=[])
    blocked = OrganisationBlock.objects.filter(blocker_id__in=ids).values("blocked_id")
    blockers = OrganisationBlock.objects.filter(blocked_id__in=ids).values("blocker_id")
    return Q(organisation_id__in=blocked) | Q(organisation_id__in=blockers)


def hidden_from_user(user: User) -> Q:
    """What `user` does not see: organisations blocked by (or blocking) any of theirs.

    One condition of subqueries (their memberships, then the blocks): no query of its own.
    """
    theirs = Membership.objects.filter(user=user).values("organisation_id")
    blocked = OrganisationBlock.objects.filter(blocker_id__in=theirs).values("blocked_id")
    blockers = OrganisationBlock.objects.filter(blocked_id__in=theirs).values("blocker_id")
    return Q(organisation_id__in=blocked) | Q(organisation_id__in=blockers)


def hidden_organisation_ids(user: User) -> set[int]:
    """The organisations `hidden_from_user` hides, in one query."""
    theirs = Membership.objects.filter(user=user).values("organisation_id")
    blocked = OrganisationBlock.objects.filter(blocker_id__in=theirs).values_list("blocked_id")
    blockers = OrganisationBlock.objects.filter(blocked_id__in=theirs).values_list("blocker_id")
    return {pk for (pk,) in blocked.union(blockers)}


def blocks_made(organisation: Organisation) -> QuerySet[OrganisationBlock]:
    """The organisations `organisation` blocked, by name, with when and by whom."""
    return (
        OrganisationBlock.objects.filter(blocker=organisation)
        .select_related("blocked")
        .order_by("blocked__legal_name", "pk")
    )
