"""The accounts app's dashboard panels: the person's organisations and SME declarations; for
staff, the erasure requests of the last 30 days."""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from accounts.models import ErasureRequest
from minegap.core import slots

RECENT_ERASURES_DAYS = 30


def organisations_panel(request: HttpRequest) -> dict:
    # The template reads the memberships through the accounts_tags tag it already uses.
    return {}


def erasure_requests_panel(request: HttpRequest) -> dict:
    since = timezone.now() - timedelta(days=RECENT_ERASURES_DAYS)
    recent = ErasureRequest.objects.filter(requested_at__gte=since)
    return {
        "recent_count": recent.count(),
        "kept_count": recent.filter(status=ErasureRequest.Status.PARTLY_KEPT).count(),
        "days": RECENT_ERASURES_DAYS,
    }


def register() -> None:
    slots.register(
        "dashboard:applicant",
        "accounts-organisations",
        "accounts/dashboard_panel.html",
        organisations_panel,
        order=10,
    )
    slots.register(
        "dashboard:staff",
        "accounts-erasure-requests",
        "accounts/panels/erasure_requests.html",
        erasure_requests_panel,
        order=90,
    )
