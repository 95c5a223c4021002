"""Celery tasks of the calls app: thin, they take ids and call a service."""

from celery import shared_task

from calls import clock, receipts
from calls.models import Call, CallState


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def render_receipt(version_id: int) -> None:
    receipts.generate_receipt(version_id=version_id)


@shared_task
def sync_call_states() -> None:
    """Periodic: record in the ledger that calls opened or closed (the clock already decided)."""
    for call in Call.objects.filter(state__in=[CallState.PUBLISHED, CallState.OPEN]):
        clock.sync_call_state(call=call)
