"""API authentication with an ``accounts.ApiToken``: ``Authorization: Bearer <secret>``.

``Token <secret>`` is accepted too (the scheme DRF's own tokens used, so older scripts keep their
header). A refused token answers 401 with the reason (expired, revoked, unknown). Each
authenticated request is logged against the token.
"""

import ipaddress

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from accounts import services
from accounts.models import ApiToken, User
from minegap.core.mfa import mark_second_factor, token_grants_second_factor

KEYWORDS = ("bearer", "token")
CHALLENGE = 'Bearer realm="api"'


class TokenRejected(exceptions.APIException):
    """401 with a challenge, whatever authentication class comes first.

    DRF turns its own ``AuthenticationFailed`` into a 403 when the first class (the session's)
    has no challenge to offer; a script whose token expired must learn that it is the token.
    """

    status_code = 401
    default_detail = _("Invalid API token.")
    default_code = "authentication_failed"

    def __init__(self, detail=None):
        super().__init__(detail)
        self.auth_header = CHALLENGE


class ApiTokenAuthentication(BaseAuthentication):
    """Returns ``(owner, token)``; ``request.auth.mfa_verified`` says whether the token was
    created from a session that passed the second factor (what privileged endpoints require)."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise TokenRejected(
                _(
                    "Send the header as “Authorization: Bearer <token>”, with no spaces in the token."
                )
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise TokenRejected(_("Invalid API token.")) from exc
        try:
            token = services.api_token_check(secret)
        except services.TokenRefused as exc:
            raise TokenRejected(str(exc)) from exc
        services.api_token_record_use(
            token=token,
            method=request.method,
            path=request.path,
            client_address=client_address(request),
        )
        # The permission rules read the second factor off the user object (minegap.core.mfa).
        mark_second_factor(token.user, token_grants_second_factor(token))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return CHALLENGE


def client_address(request: Request) -> str | None:
    """The caller's address: the socket's, or the one the trusted proxies in front of us saw
    (``TRUSTED_PROXIES``: the last that many ``X-Forwarded-For`` hops are ours; a client can
    write any hop further left, so those are never believed). Unlike allauth's helper, a short
    header is not an error: the log records the best address it has."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token from the account page (“API tokens”), sent as "
                "`Authorization: Bearer <token>` (`Token <token>` is accepted too). Tokens "
                "expire; staff, evaluators and committee members create theirs after signing in "
                "with their two-factor code, and only such tokens reach privileged endpoints. "
                "An expired, revoked or unknown token answers 401 with the reason."
            ),
        }
