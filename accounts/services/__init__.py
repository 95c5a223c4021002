"""Writes for accounts: organisations, memberships, invitations, SME declarations, API tokens.

Every function validates, checks permission, runs in one transaction and records a ledger entry
as its last step. Errors are Django ``ValidationError`` (with field names where a form shows them)
or ``PermissionDenied``. Import from here: ``from accounts import services``.
"""

from accounts.services.declarations import sme_declaration_clean, sme_declaration_sign
from accounts.services.erasure import erasure_preview, erasure_request_process
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
from accounts.services.tokens import (
    TokenRefused,
    api_token_check,
    api_token_create,
    api_token_create_refusal,
    api_token_prune_uses,
    api_token_record_use,
    api_token_revoke,
    api_tokens_revoke_after_mfa_removed,
)

__all__ = [
    "INVITATION_VALID_FOR",
    "TokenRefused",
    "api_token_check",
    "api_token_create",
    "api_token_create_refusal",
    "api_token_prune_uses",
    "api_token_record_use",
    "api_token_revoke",
    "api_tokens_revoke_after_mfa_removed",
    "erasure_preview",
    "erasure_request_process",
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
