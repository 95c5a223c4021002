"""Whether this session passed the second factor: the one question every privileged check asks.

Enrolling a TOTP device proves nothing about the person at the keyboard; allauth records each
authentication step of the session, and only an ``mfa`` step means the second factor was passed.
An API token counts only when it says so itself (``token.mfa_verified is True``: a token minted
from a session that passed the second factor); DRF's plain tokens never do.

Permission predicates see a user, not a request, so the answer is stamped on the user object of
the request (`mark_second_factor`): by `SecondFactorMiddleware` for sessions, by `HasMFA` for
API tokens. A user object nobody stamped (a Celery task, a token user) has not passed it.
"""

import time
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records

# allauth's own log of a session's authentication steps (no public function writes to it).
from allauth.account.internal.flows.login import record_authentication
from allauth.core.exceptions import ReauthenticationRequired
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_PASSED = "_minegap_second_factor_passed"


class SecondFactorRequired(PermissionDenied):
    """Access a role would grant, refused because this session has not passed the second factor;
    pages answer it with a trip to the TOTP step (`second_factor_redirect`), the API with 403."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or gettext_lazy(
                "Your role gives access to other people's data: confirm it is you with your "
                "authenticator app first."
            )
        )


def _mfa_records(request: HttpRequest, user) -> list[dict]:
    return [
        record
        for record in get_authentication_records(request, user)
        if record.get("method") == "mfa"
    ]


def session_passed_mfa(request: HttpRequest, user=None) -> bool:
    user = user if user is not None else getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return bool(_mfa_records(request, user))


def token_grants_second_factor(auth) -> bool:
    """The interface with the API tokens: only a token that says so carries the second factor."""
    return getattr(auth, "mfa_verified", False) is True


def request_passed_second_factor(request) -> bool:
    """A Django request or a DRF one (session or token authentication)."""
    return session_passed_mfa(request) or token_grants_second_factor(getattr(request, "auth", None))


def mark_second_factor(user, passed: bool) -> None:
    setattr(user, _PASSED, passed)


def user_passed_second_factor(user) -> bool:
    return getattr(user, _PASSED, False) is True


def seconds_since_second_factor(request: HttpRequest) -> float | None:
    """Age of the session's latest TOTP step (sign-in or re-authentication); None if none."""
    records = _mfa_records(request, request.user)
    if not records:
        return None
    return time.time() - max(float(record.get("at", 0)) for record in records)


def session_signed_in_at(request: HttpRequest) -> float:
    """When this session's first authentication step was recorded (now if none was)."""
    records = get_authentication_records(request, request.user)
    return min((float(record.get("at", 0)) for record in records), default=time.time())


def require_recent_second_factor(request: HttpRequest) -> None:
    """Before an act that commits money or a decision (countersigning an agreement, approving a
    payment, adopting a committee decision): the session's last TOTP code must be recent
    (ACCOUNT_REAUTHENTICATION_TIMEOUT), else allauth asks for one and then replays the request."""
    age = seconds_since_second_factor(request)
    if age is None or age > settings.ACCOUNT_REAUTHENTICATION_TIMEOUT:
        raise ReauthenticationRequired()


def second_factor_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """Where a privileged person without the second factor goes, back here afterwards: turn TOTP
    on if they have none, otherwise type a code (allauth's MFA re-authentication)."""
    if not is_mfa_enabled(request.user):
        messages.warning(
            request,
            _(
                "Your role gives access to other people's data: turn on two-factor "
                "authentication before you continue."
            ),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
    messages.warning(
        request,
        _(
            "Your role gives access to other people's data: enter a code from your "
            "authenticator app to continue."
        ),
    )
    query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")


def record_totp_activation(sender, request, user, authenticator, **kwargs) -> None:
    """Activating TOTP means typing a valid code from the new device: that is this session's
    second factor, so the person goes on to their work without signing in again."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type="totp")
