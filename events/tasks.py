"""Celery tasks of events: thin, they call a service."""

from celery import shared_task

from accounts.models import User
from events import brokerage, registration
from events.models import Event


@shared_task
def send_event_reminders() -> int:
    """Periodic (hourly): the day-before reminders; idempotent, so a rerun sends nothing twice."""
    return registration.send_reminders()


@shared_task
def schedule_brokerage(event_id: int, actor_id: int | None = None) -> dict:
    """Staff's "schedule all" for a brokerage event: the solver may take seconds, so it runs
    here rather than in the request."""
    actor = User.objects.get(pk=actor_id) if actor_id else None
    return brokerage.schedule_meetings(event=Event.objects.get(pk=event_id), actor=actor)
