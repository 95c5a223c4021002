"""Who may see and change calls and applications (django-rules)."""

from collections.abc import Callable

import rules

from accounts.rules import is_consortium_staff, is_organisation_admin

# Later apps (evaluation) add predicates `(user, application) -> bool` here from their
# AppConfig.ready(), e.g. "is an evaluator assigned to this application"; calls cannot import them.
APPLICATION_VIEWER_HOOKS: list[Callable] = []


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_lead_admin(user, application) -> bool:
    if not _authenticated(user) or application is None:
        return False
    return is_organisation_admin(user, application.lead_organisation)


@rules.predicate
def is_consortium_member(user, application) -> bool:
    """A person of an organisation that is in the consortium or invited to it."""
    if not _authenticated(user) or application is None:
        return False
    return application.members.filter(
        status__in=["invited", "confirmed"], organisation__memberships__user=user
    ).exists()


@rules.predicate
def is_hooked_viewer(user, application) -> bool:
    if not _authenticated(user) or application is None:
        return False
    return any(hook(user, application) for hook in APPLICATION_VIEWER_HOOKS)


@rules.predicate
def is_member_admin(user, member) -> bool:
    if not _authenticated(user) or member is None or member.organisation_id is None:
        return False
    return is_organisation_admin(user, member.organisation)


can_view_application = is_consortium_member | is_consortium_staff | is_hooked_viewer

rules.add_perm("calls.manage_calls", is_consortium_staff)
rules.add_perm("calls.view_application", can_view_application)
rules.add_perm("calls.change_application", is_lead_admin)
rules.add_perm("calls.answer_invitation", is_member_admin)
