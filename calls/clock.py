"""The clock decides whether a call is open; this records, after the fact, that it did."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from calls.models import Call, CallState
from minegap.ledger.services import record


def sync_call_state(*, call: Call, now: datetime | None = None) -> Call:
    """Bring the stored state in line with the clock (opened / closed) and log it. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        effective = call.state_at(now)
        if call.state in CallState.clock_driven() and effective != call.state:
            old = call.state
            call.state = effective
            call.save(update_fields=["state"])
            record(
                action=f"calls.call.{effective}",
                target=call,
                actor=None,
                data={"from": old, "to": effective, "at": now},
            )
    return call
