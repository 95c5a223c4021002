"""Named permission predicates (django-rules), used by views, the API and templates."""

import rules
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import Membership, User
from minegap.core.mfa import SecondFactorRequired, user_passed_second_factor
from minegap.ledger.labels import register_action_labels

# What a user object knows of its roles: the names of the role groups it holds (a set; None or
# absent: not read yet), and whether it is a member of an organisation (absent: not read).
_ROLE_NAMES = "_role_names"
_APPLICANT = "_minegap_applicant"
#: The name of `role_flags()`'s "is an applicant" flag.
APPLICANT_FLAG = "role_applicant"


def _flag(role: str) -> str:
    return "role_" + role.replace("-", "_")


def role_flags() -> dict[str, Exists]:
    """Whether the user of the row (`OuterRef("pk")`) holds each role and is an applicant
    (`APPLICANT_FLAG`): expressions for a query of users, so that the signed-in person is read
    with their roles in one statement (`accounts.backends`); the predicates below then read no
    more (`remember_roles`)."""
    held = User.groups.through.objects.filter(user=OuterRef("pk"))
    return {
        **{_flag(name): Exists(held.filter(group__name=name)) for name in roles.PRIVILEGED_ROLES},
        APPLICANT_FLAG: Exists(Membership.objects.filter(user=OuterRef("pk"))),
    }


def remember_roles(user, flags: dict[str, bool]) -> None:
    """Keep on `user` the answers of `role_flags()` read with it, for the predicates below."""
    setattr(user, _ROLE_NAMES, {name for name in roles.PRIVILEGED_ROLES if flags[_flag(name)]})
    setattr(user, _APPLICANT, bool(flags[APPLICANT_FLAG]))


def forget_roles(user) -> None:
    """Forget what `user` knows of its roles (after granting or removing one), so that the
    predicates below read them afresh."""
    for name in (_ROLE_NAMES, _APPLICANT):
        user.__dict__.pop(name, None)


def _in_group(name: str):
    if name not in roles.PRIVILEGED_ROLES:
        # `role_flags` reads only these: another group would never be found on a signed-in user.
        raise ValueError(f"{name!r} is not a role of accounts.roles.PRIVILEGED_ROLES.")

    @rules.predicate(name=f"in_group:{name}")
    def predicate(user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        cache = getattr(user, _ROLE_NAMES, None)
        if cache is None:  # a user not read with its roles (a task's, a token's)
            cache = set(user.groups.values_list("name", flat=True))
            setattr(user, _ROLE_NAMES, cache)
        return name in cache

    return predicate


is_consortium_staff = _in_group(roles.STAFF) | rules.is_superuser
is_evaluator = _in_group(roles.EVALUATOR)
is_committee_member = _in_group(roles.COMMITTEE)


@rules.predicate
def is_applicant(user) -> bool:
    """Member of at least one registered organisation (as of the request's start for the
    signed-in person, read with their roles; asked afresh for any other user object)."""
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(user, _APPLICANT, None)
    return user.memberships.exists() if known is None else known


def organisation_admin_memberships(*, user, organisation) -> QuerySet[Membership]:
    """What makes `user` (a person or their id) an administrator of `organisation` (or an
    expression naming it): the one definition `is_organisation_admin` asks and a hot path may
    fold into its own query (the autosave's read: `calls.services.autosave`)."""
    return Membership.objects.filter(organisation=organisation, user=user, role="admin")


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    return organisation_admin_memberships(user=user, organisation=organisation).exists()


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    return organisation.memberships.filter(user=user).exists()


is_privileged = is_consortium_staff | is_evaluator | is_committee_member


@rules.predicate
def passed_second_factor(user) -> bool:
    """This request's session (or API token) passed the second factor (minegap.core.mfa)."""
    return user_passed_second_factor(user)


def by_role(predicate):
    """Access granted because of a role (staff, evaluator, committee) rather than a membership
    reads other people's data: it holds only once this session passed the second factor.

    Every permission registered with `rules.add_perm` wraps its role part in this, so a view that
    asks `has_perm` cannot forget it. Services check the roles alone: the second factor belongs
    to a session, and services also run from tasks and commands.
    """
    return predicate & passed_second_factor


def require_second_factor(user, message: str | None = None) -> None:
    """For reads a role allows that `has_perm` does not check: refuse them (403; pages send the
    person to the TOTP step) until this session passed the second factor."""
    if not passed_second_factor(user):
        raise SecondFactorRequired(message)


# Each question has one name, asked by views, the API and templates alike (`user.has_perm`,
# `{% has_perm %}`, minegap.core.permissions.NamedPermission); services call the same predicates.
rules.add_perm("accounts.view_organisation", is_organisation_member | by_role(is_consortium_staff))
# The organisation's administrators change it: details, members, invitations, SME declaration.
rules.add_perm("accounts.change_organisation", is_organisation_admin)
rules.add_perm("minegap.view_ledger", by_role(is_consortium_staff))
rules.add_perm("accounts.view_erasure_requests", by_role(is_consortium_staff))

register_action_labels(
    {
        "accounts.organisation.created": _("Organisation registered"),
        "accounts.organisation.updated": _("Organisation details changed"),
        "accounts.membership.added": _("Member added to an organisation"),
        "accounts.membership.removed": _("Member removed from an organisation"),
        "accounts.membership.role_changed": _("Member's role changed"),
        "accounts.invitation.sent": _("Invitation to an organisation sent"),
        "accounts.invitation.accepted": _("Invitation to an organisation accepted"),
        "accounts.invitation.revoked": _("Invitation to an organisation revoked"),
        "accounts.sme_declaration.signed": _("SME self-declaration signed"),
        "accounts.api_token.created": _("API token created"),
        "accounts.api_token.revoked": _("API token revoked"),
        "accounts.erasure.processed": _("Account erased at its owner's request"),
    }
)
