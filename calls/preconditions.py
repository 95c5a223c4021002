"""When a staff action on a call is allowed now: each ``*_refusal`` function gives the one-line
reason it is refused, or ``None``; the service raises that line, the page shows it instead of the
button, so the two cannot disagree."""

from datetime import datetime

from django.utils.translation import gettext

from calls.models import Call, CallState


def deadline_extension_refusal(call: Call, now: datetime) -> str | None:
    """A deadline moves only while the call is published or open (applicants can still act)."""
    if call.state_at(now) not in (CallState.PUBLISHED, CallState.OPEN):
        return gettext(
            "The deadline can no longer be extended: the call is “%(state)s”; it moves only "
            "while the call is published or open."
        ) % {"state": CallState(call.state_at(now)).label}
    return None
