"""Thin tasks: take ids, call the service."""

from celery import shared_task

from minegap.notifications import sending


@shared_task(ignore_result=True)
def send_notification(notification_id: int) -> bool:
    return sending.send(notification_id)


@shared_task(ignore_result=True)
def send_pending_notifications() -> int:
    """Periodic (beat): resend what is still pending and due, with back-off between attempts."""
    return sum(sending.send(pk) for pk in sending.due_notification_ids())
