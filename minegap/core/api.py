"""API pieces every app shares: the error format, its place in the OpenAPI schema, permissions."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from minegap.core.mfa import mark_second_factor, request_passed_second_factor


def exception_handler(exc, context) -> Response | None:
    """Business-rule errors raised by services (Django ValidationError) answer 400, never 500.

    Every error body is a JSON object (`ErrorSerializer`, or `ValidationErrorSerializer` for 400).
    """
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
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # DRF answers `ValidationError("message")` with a bare list; the documented body is an object.
        response.data = {"detail": response.data}
    return response


class ErrorSerializer(serializers.Serializer):
    """The body of every error but a validation error (401, 403, 404, 429)."""

    detail = serializers.CharField(help_text=_("What went wrong, for a person to read."))


class ValidationErrorSerializer(serializers.Serializer):
    """The body of a 400: the messages per input field, or `detail` for the request as a whole."""

    detail = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=_("Messages about the request as a whole (a single message is a string)."),
    )


class _ValidationErrorSchema(OpenApiSerializerExtension):
    """Field names are the operation's own, so the component allows any field besides `detail`."""

    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction) -> dict[str, Any]:
        messages = {"type": "array", "items": {"type": "string"}}
        return {
            "type": "object",
            "description": ValidationErrorSerializer.__doc__,
            "properties": {
                "detail": {
                    "anyOf": [{"type": "string"}, messages],
                    "description": str(ValidationErrorSerializer().fields["detail"].help_text),
                }
            },
            "additionalProperties": {
                "description": str(
                    _("The messages about one input field (nested for nested input).")
                ),
                "anyOf": [
                    messages,
                    {"type": "object"},
                    {"type": "array", "items": {"type": "object"}},
                ],
            },
        }


ERROR_DESCRIPTIONS = {
    status.HTTP_400_BAD_REQUEST: _("Invalid input, or an action the rules do not allow now."),
    status.HTTP_401_UNAUTHORIZED: _("Not authenticated: no credentials, or an invalid token."),
    status.HTTP_403_FORBIDDEN: _("Not allowed: a role, a second factor or an organisation lacks."),
    status.HTTP_404_NOT_FOUND: _("Not found, or not visible to you."),
    status.HTTP_429_TOO_MANY_REQUESTS: _("Too many requests: retry after `Retry-After` seconds."),
}


class AutoSchema(openapi.AutoSchema):
    """Adds to every operation the error responses it can give, with their body.

    Derived from the view, so a new endpoint is documented without a decorator: 400 and 404
    where the operation takes input (parameters or a body) or writes (a service may refuse);
    401 and 403 where a permission other than AllowAny applies; 429 where a throttle does.
    A response an operation documents itself (`extend_schema(responses=...)`) keeps its
    description, and its body unless it has none.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self._error_codes(operation):
            serializer = (
                ValidationErrorSerializer
                if code == status.HTTP_400_BAD_REQUEST
                else ErrorSerializer
            )
            documented = responses.setdefault(
                str(code), {"description": str(ERROR_DESCRIPTIONS[code])}
            )
            documented.setdefault(
                "content",
                {
                    "application/json": {
                        "schema": self.resolve_serializer(serializer, "response").ref
                    }
                },
            )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_codes(self, operation: dict) -> list[int]:
        codes = []
        takes_input = bool(operation.get("parameters")) or "requestBody" in operation
        if takes_input or self.method not in permissions.SAFE_METHODS:
            codes += [status.HTTP_400_BAD_REQUEST, status.HTTP_404_NOT_FOUND]
        if any(not isinstance(p, permissions.AllowAny) for p in self.view.get_permissions()):
            codes += [status.HTTP_401_UNAUTHORIZED, status.HTTP_403_FORBIDDEN]
        if self.view.get_throttles():
            codes.append(status.HTTP_429_TOO_MANY_REQUESTS)
        return codes


class HasMFA(permissions.BasePermission):
    """Privileged endpoints (staff, evaluators, committee): a session that passed the second
    factor, or a token that carries it (`token.mfa_verified is True`; DRF's plain tokens do not).

    A token authenticates a user object the session middleware never saw: the answer is stamped
    on it here, first on every privileged endpoint, so the permission rules read the same.
    """

    message = _(
        "This endpoint reads other people's data: sign in with your authenticator app (or use a "
        "token created from such a session)."
    )

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        passed = request_passed_second_factor(request)
        mark_second_factor(request.user, passed)
        return passed
