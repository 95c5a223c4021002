"""Cross-cutting request handling: the Content-Security-Policy header and MFA for privileged areas."""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.rules import is_privileged

# Areas whose users see other people's data; reaching them requires MFA.
PRIVILEGED_PREFIXES = ("/manage/", "/evaluate/", "/committee/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The vendored Swagger UI/ReDoc pages bootstrap with inline scripts; they carry no user data.
        if not request.path.startswith("/api/docs") and not request.path.startswith("/api/redoc"):
            response.headers.setdefault("Content-Security-Policy", settings.CSP_POLICY)
        return response


class RequireMFAForPrivilegedAreasMiddleware:
    """Staff, evaluators and committee members cannot reach their areas until MFA is on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path.startswith(PRIVILEGED_PREFIXES)
            and request.user.is_authenticated
            and is_privileged(request.user)
            and not is_mfa_enabled(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Your role gives access to other people's data: turn on two-factor "
                    "authentication before you continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
