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


def register() -> None:
    slots.register(
        "calls:public-detail",
        "events-info-days",
        "events/public/call_info_days.html",
        call_info_days,
    )
