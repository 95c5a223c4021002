"""Celery tasks of the partner directory: thin, they call a service."""

from celery import shared_task

from matchmaking import services


@shared_task
def expire_interests() -> int:
    """Periodic: pending expressions of interest unanswered for 30 days expire."""
    return services.expire_interests()
