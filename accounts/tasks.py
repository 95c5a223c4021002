"""Celery tasks of the accounts app: thin, they call a service."""

from celery import shared_task

from accounts import services


@shared_task
def prune_api_token_uses() -> int:
    """Periodic: forget API token uses older than the retention period."""
    return services.api_token_prune_uses()
