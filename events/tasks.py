"""Celery tasks of events: thin, they call a service."""

from celery import shared_task

from events import registration


@shared_task
def send_event_reminders() -> int:
    """Periodic (hourly): the day-before reminders; idempotent, so a rerun sends nothing twice."""
    return registration.send_reminders()
