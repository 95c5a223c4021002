"""Writes for accounts: organisations, memberships, invitations and SME declarations.

Every function validates, checks permission, runs in one transaction and records a ledger entry
as its last step. Errors are Django ``ValidationError`` (with field names where a form shows them)
or ``PermissionDenied``. Import from here: ``from accounts import services``.
"""

from accounts.services.declarations import sme_declaration_clean, sme_declaration_sign
from accounts.services.memberships import (
    INVITATION_VALID_FOR,
    invitation_accept,
    invitation_revoke,
    invitation_send,
    membership_change_role,
    membership_remove,
    user_has_email,
)
from accounts.services.organisations import (
    organisation_clean,
    organisation_create,
    organisation_update,
)

__all__ = [
    "INVITATION_VALID_FOR",
    "invitation_accept",
    "invitation_revoke",
    "invitation_send",
    "membership_change_role",
    "membership_remove",
    "organisation_clean",
    "organisation_create",
    "organisation_update",
    "sme_declaration_clean",
    "sme_declaration_sign",
    "user_has_email",
]
