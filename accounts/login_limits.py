"""Log-in limits that slow password guessing without letting anyone lock an account's owner out.

allauth counts failed log-ins per client address (`login_failed` "…/ip") and per key. Its key is
the account alone, so five wrong passwords from anywhere locked the owner out too: a denial of
service anyone could run. Here:

- per address: `login_failed` "10/m/ip", every account together (allauth's own);
- per account *and* address: `login_failed` "5/5m/key", the key being account + address, so a
  guesser locks only the pair it guesses from;
- per account across addresses, `login_failed_account` (much looser): it bounds a guesser who
  spreads over many addresses, and does not apply to an address this account signed in from
  within the last KNOWN_ADDRESS_DAYS, so the owner is not locked out from where they usually
  sign in. A password reset (which proves the mailbox) clears it.

Addresses are the client's as `TRUSTED_PROXIES` defines it (allauth's `get_client_ip`).
"""

import hashlib
from datetime import timedelta
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.http import HttpRequest

KNOWN_ADDRESS_DAYS = 30
ACCOUNT_ACTION = "login_failed_account"


class LoginLimitsMixin(DefaultAccountAdapter):
    def _account_key(self, credentials: dict[str, Any]) -> str:
        return str(credentials.get("email", credentials.get("username", ""))).lower()

    def _known_address_key(self, request: HttpRequest, credentials: dict[str, Any]) -> str:
        pair = f"{self._account_key(credentials)}|{self.get_client_ip(request)}"
        return f"minegap:login-address:{hashlib.sha256(pair.encode()).hexdigest()}"

    def _from_known_address(self, request: HttpRequest, credentials: dict[str, Any]) -> bool:
        return bool(cache.get(self._known_address_key(request, credentials)))

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """allauth's per-key limit counts per account *and* client address."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}|{self.get_client_ip(request)}"

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        """After a password reset: forget this address's failures and the account-wide ones."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(request, action=ACCOUNT_ACTION, key=self._account_key(credentials))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        if self._from_known_address(request, credentials):
            return
        within_account_limit = ratelimit.consume(
            request, action=ACCOUNT_ACTION, key=self._account_key(credentials), dry_run=True
        )
        if not within_account_limit:
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            cache.set(
                self._known_address_key(request, credentials),
                True,
                int(timedelta(days=KNOWN_ADDRESS_DAYS).total_seconds()),
            )
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        if not self._from_known_address(request, credentials):
            ratelimit.consume(request, action=ACCOUNT_ACTION, key=self._account_key(credentials))
