"""Shared bits of the vouchers views."""

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.views import View

PAGE_SIZE = 50


class StaffView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Staff pages live under /manage/, where the middleware already requires MFA."""

    permission_required = "vouchers.manage_vouchers"


def paginate(request: HttpRequest, queryset, size: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, size).get_page(request.GET.get("page"))
