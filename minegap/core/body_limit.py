"""Refuse a request whose body is larger than settings.MAX_REQUEST_BODY with 413, from its
Content-Length, before anything reads it (Django reads a whole upload before a form can check its
size). The reverse proxy's limit (client_max_body_size) should match it; this one holds when a
request reaches the application directly."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body without a valid length either
        if length > settings.MAX_REQUEST_BODY:
            message = _("The request is larger than %(mb)s MB, the most this site accepts.") % {
                "mb": settings.MAX_REQUEST_BODY // (1024 * 1024)
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
