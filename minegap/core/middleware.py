"""Cross-cutting request handling: security headers, and the second factor of privileged sessions."""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, SESSION_KEY, logout
from django.contrib.auth.middleware import get_user
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts.backends import rename_former_backend
from accounts.rules import is_privileged
from minegap.core.mfa import (
    mark_second_factor,
    second_factor_redirect,
    session_passed_mfa,
    session_signed_in_at,
    user_passed_second_factor,
)

# The API's browsable documentation: its own policy (drf-spectacular's pages, served from 'self').
API_DOCS_PREFIXES = ("/api/docs/", "/api/redoc/")
# When a privileged session began: its sign-in, as allauth recorded it.
PRIVILEGED_SINCE = "minegap_privileged_since"
# When a signed-in session was last saved with a fresh expiry (SessionRenewalMiddleware).
SESSION_RENEWED_AT = "minegap_session_renewed_at"
# When a privileged session last got its short expiry (SecondFactorMiddleware).
PRIVILEGED_RENEWED_AT = "minegap_privileged_renewed_at"


class SessionRenewalMiddleware:
    """Keeps a signed-in session alive while it is used, without writing it on every request:
    the session (its expiry and its cookie) is saved again once its last renewal is older than
    SESSION_RENEWAL_SECONDS, so it ends SESSION_COOKIE_AGE after the last activity, give or take
    that interval, and a burst of autosaves writes it at most once. Listed after Django's
    SessionMiddleware, so that this runs before the session is saved. Privileged sessions renew
    their short expiry more often (SecondFactorMiddleware, PRIVILEGED_SESSION_RENEWAL_SECONDS)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        if session.accessed and SESSION_KEY in session:
            now = time.time()
            due = now - session.get(SESSION_RENEWED_AT, 0) >= settings.SESSION_RENEWAL_SECONDS
            if due or session.modified:  # saved anyway: stamp it for free
                session[SESSION_RENEWED_AT] = now
        return response


def session_seconds_left(request: HttpRequest) -> int:
    """Seconds until this session ends if nothing more happens, for the expiry warning: a
    privileged session's short expiry counts from its last save (its last renewal, at most a
    minute ago; or a later save, e.g. after the role was removed), not from this request."""
    session = request.session
    seconds = session.get_expiry_age()
    privileged_renewal = session.get(PRIVILEGED_RENEWED_AT)
    if privileged_renewal is None:
        return seconds
    # Both stamps mark a save of the session, from which its expiry counts.
    saved_at = max(privileged_renewal, session.get(SESSION_RENEWED_AT, 0))
    return max(0, int(saved_at + seconds - time.time()))


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = (
            settings.API_DOCS_CSP_POLICY
            if request.path.startswith(API_DOCS_PREFIXES)
            else settings.CSP_POLICY
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def _marked_user(request: HttpRequest):
    rename_former_backend(request.session)
    user = get_user(request)
    if user.is_authenticated:
        mark_second_factor(user, session_passed_mfa(request, user))
    return user


class SecondFactorMiddleware:
    """Tells the permission rules whether this session passed the second factor, sends privileged
    people whom a permission refused for want of it to the TOTP step, and keeps the sessions that
    hold privileged access short (idle and absolute limits, settings PRIVILEGED_SESSION_*)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = SimpleLazyObject(lambda: _marked_user(request))
        expired = self._limit_privileged_session(request)
        if expired is not None:
            return expired
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        user = request.user
        if (
            isinstance(exception, PermissionDenied)
            and user.is_authenticated
            and not user_passed_second_factor(user)
            and is_privileged(user)
        ):
            return second_factor_redirect(request)
        return None

    def _limit_privileged_session(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not (user.is_authenticated and user_passed_second_factor(user) and is_privileged(user)):
            return None
        since = request.session.setdefault(PRIVILEGED_SINCE, session_signed_in_at(request))
        if time.time() - since > settings.PRIVILEGED_SESSION_MAX_SECONDS:
            logout(request)
            messages.info(request, _("Your session has ended. Please sign in again."))
            query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{query}")
        # The idle limit: the short expiry counts from the last renewal, and a renewal saves the
        # session, so it is renewed at most once per PRIVILEGED_SESSION_RENEWAL_SECONDS rather
        # than written on every request. The renewal never lies after the last request, so the
        # session never outlives its last request by more than the idle limit (it may end up to
        # one interval sooner). The first privileged request always sets it (no stamp yet).
        now = time.time()
        renewed_at = request.session.get(PRIVILEGED_RENEWED_AT, 0)
        if now - renewed_at >= settings.PRIVILEGED_SESSION_RENEWAL_SECONDS:
            request.session.set_expiry(settings.PRIVILEGED_SESSION_IDLE_SECONDS)
            request.session[PRIVILEGED_RENEWED_AT] = now
        return None
