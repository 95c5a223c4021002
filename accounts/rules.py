"""Named permission predicates (django-rules), used by views, the API and templates."""

import rules

from accounts import roles


def _in_group(name: str):
    @rules.predicate(name=f"in_group:{name}")
    def predicate(user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        cache = getattr(user, "_role_names", None)
        if cache is None:
            cache = set(user.groups.values_list("name", flat=True))
            user._role_names = cache
        return name in cache

    return predicate


is_consortium_staff = _in_group(roles.STAFF) | rules.is_superuser
is_evaluator = _in_group(roles.EVALUATOR)
is_committee_member = _in_group(roles.COMMITTEE)


@rules.predicate
def is_applicant(user) -> bool:
    """Member of at least one registered organisation."""
    return bool(getattr(user, "is_authenticated", False)) and user.memberships.exists()


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    return organisation.memberships.filter(user=user, role="admin").exists()


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    return organisation.memberships.filter(user=user).exists()


is_privileged = is_consortium_staff | is_evaluator | is_committee_member

rules.add_perm("accounts.manage_platform", is_consortium_staff)
rules.add_perm("accounts.evaluate", is_evaluator)
rules.add_perm("accounts.decide", is_committee_member)
rules.add_perm("accounts.view_organisation", is_organisation_member | is_consortium_staff)
rules.add_perm("accounts.change_organisation", is_organisation_admin)
rules.add_perm("minegap.view_ledger", is_consortium_staff)
rules.add_perm("accounts.sign_sme_declaration", is_organisation_admin)
rules.add_perm("accounts.invite_member", is_organisation_admin)
