"""Thin tasks: take ids, call the service."""

from celery import shared_task
from django.utils import timezone

from minegap.core import retention
from minegap.notifications import sending


@shared_task(ignore_result=True)
def send_notification(notification_id: int) -> bool:
    return sending.send(notification_id)


@shared_task(ignore_result=True)
def send_pending_notifications() -> int:
    """Periodic (beat): resend what is still pending and due, with back-off between attempts."""
    return sum(sending.send(pk) for pk in sending.due_notification_ids())


@shared_task(ignore_result=True)
def apply_retention() -> dict[str, int]:
    """Periodic (beat, daily): delete or pseudonymise what every retention rule finds due."""
    return retention.apply_retention(now=timezone.now())
