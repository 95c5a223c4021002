"""Receivers of allauth's signals, connected in ``AccountsConfig.ready``: thin, they call a service."""

from typing import Any

from allauth.mfa.signals import authenticator_removed

from accounts import services


def _revoke_tokens_without_mfa(sender: Any, user: Any, **kwargs: Any) -> None:
    services.api_tokens_revoke_after_mfa_removed(user=user)


def connect() -> None:
    authenticator_removed.connect(_revoke_tokens_without_mfa, dispatch_uid="accounts.api_tokens")
