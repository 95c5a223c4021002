"""API pieces every app shares: the error format and permissions."""

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context) -> Response | None:
    """Business-rule errors raised by services (Django ValidationError) answer 400, never 500."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            detail = exc.message_dict
        else:
            detail = {"detail": exc.messages if len(exc.messages) > 1 else exc.messages[0]}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class HasMFA(permissions.BasePermission):
    """Privileged endpoints (staff, evaluators, committee) need a person with MFA turned on."""

    message = _("Turn on two-factor authentication to use this endpoint.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and is_mfa_enabled(request.user))
