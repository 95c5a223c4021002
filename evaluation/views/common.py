"""Shared pieces of the evaluation views."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.views import View

from calls.models import Call

PAGE_SIZE = 50


class StaffView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Staff pages under /manage/ (MFA is enforced by the middleware)."""

    permission_required = "evaluation.manage"

    def get_call(self, slug: str) -> Call:
        return get_object_or_404(Call, slug=slug)


def error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)
