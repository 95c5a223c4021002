"""The matchmaking app's dashboard panel: the partner profile and expressions of interest
waiting for an answer."""

from django.http import HttpRequest

from matchmaking import selectors
from matchmaking.models import ExpressionOfInterest
from minegap.core import slots


def partners_panel(request: HttpRequest) -> dict:
    organisations = selectors.organisations_of(request.user)
    waiting = ExpressionOfInterest.objects.filter(
        receiver__in=organisations, status=ExpressionOfInterest.Status.PENDING
    ).count()
    return {"waiting_interests": waiting}


def register() -> None:
    slots.register(
        "dashboard:applicant",
        "matchmaking-partners",
        "matchmaking/dashboard_panel.html",
        partners_panel,
        order=30,
    )
