"""The events app's fragments in earlier apps' pages: a call's info days on its public page."""

from django.http import HttpRequest

from calls.models import Call
from events import selectors
from minegap.core import slots


def call_info_days(request: HttpRequest, call: Call) -> dict | None:
    info_days = list(selectors.info_days_of_call(call.pk))
    if not info_days:
        return None
    return {"info_days": info_days}


def my_events(request: HttpRequest) -> dict:
    return {"registrations": selectors.upcoming_registrations_of(request.user)}


def register() -> None:
    slots.register(
        "dashboard:applicant", "events-mine", "events/dashboard_panel.html", my_events, order=40
    )
    slots.register(
        "calls:public-detail",
        "events-info-days",
        "events/public/call_info_days.html",
        call_info_days,
    )
