"""The events app's fragments in earlier apps' pages: a call's info days on its public page, a
person's registrations and staff's next events on the dashboard."""

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


def staff_events(request: HttpRequest) -> dict:
    return {"events": selectors.staff_upcoming_events()}


def register() -> None:
    slots.register(
        "dashboard:staff", "events-staff", "events/panels/staff_events.html", staff_events, order=50
    )
    slots.register(
        "dashboard:applicant", "events-mine", "events/dashboard_panel.html", my_events, order=40
    )
    slots.register(
        "calls:public-detail",
        "events-info-days",
        "events/public/call_info_days.html",
        call_info_days,
    )
