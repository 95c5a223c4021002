"""Celery tasks of the impact app: thin, they call a service."""

from celery import shared_task

from impact import services


@shared_task
def send_impact_reminders() -> int:
    """Periodic (daily): one reminder per late report and stage; a rerun sends nothing twice."""
    return services.send_reminders()
