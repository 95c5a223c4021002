"""Who may do what in the partner directory (django-rules predicates and permissions)."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_organisation_admin, is_organisation_member
from minegap.ledger.labels import register_action_labels


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_receiver_member(user, interest) -> bool:
    return interest is not None and is_organisation_member(user, interest.receiver)


@rules.predicate
def is_party_member(user, interest) -> bool:
    return interest is not None and (
        is_organisation_member(user, interest.receiver)
        or is_organisation_member(user, interest.sender)
    )


# The directory and profiles are for signed-in people only; anonymous visitors see counts.
rules.add_perm("matchmaking.view_directory", is_signed_in)
# An organisation's profile is edited (and published) by its administrators.
rules.add_perm("matchmaking.change_profile", is_organisation_admin)
# Any member may write, answer and block on behalf of their organisation.
rules.add_perm("matchmaking.act_for_organisation", is_organisation_member)
rules.add_perm("matchmaking.answer_interest", is_receiver_member)
rules.add_perm("matchmaking.view_interest", is_party_member)

register_action_labels(
    {
        "matchmaking.profile.published": _("Partner profile published"),
        "matchmaking.profile.unpublished": _("Partner profile unpublished"),
        "matchmaking.interest.sent": _("Expression of interest sent"),
        "matchmaking.interest.accepted": _("Expression of interest accepted"),
        "matchmaking.interest.declined": _("Expression of interest declined"),
        "matchmaking.interest.withdrawn": _("Expression of interest withdrawn"),
        "matchmaking.interest.expired": _("Expression of interest expired"),
        "matchmaking.organisation.blocked": _("Organisation blocked"),
        "matchmaking.organisation.unblocked": _("Organisation unblocked"),
    }
)
