"""Delivering outbox rows: render the templates, send, and back off on failure."""

from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from minegap.notifications.models import Notification

MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def send(notification_id: int) -> bool:
    """Send one pending notification; True when it went out. Safe to call twice."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return False
        context = {**notification.context, "recipient_email": notification.email}
        with translation.override(translation.get_language() or "en"):
            text = render_to_string(f"emails/{notification.template}.txt", context)
            try:
                html = render_to_string(f"emails/{notification.template}.html", context)
            except TemplateDoesNotExist:
                html = None
        message = EmailMultiAlternatives(
            subject=notification.subject, body=text, to=[notification.email]
        )
        if html:
            message.attach_alternative(html, "text/html")
        notification.attempts += 1
        try:
            message.send()
        except Exception as exc:
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
            notification.next_attempt_at = timezone.now() + backoff(notification.attempts)
            notification.save()
            return False
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save()
        return True


def due_notification_ids(limit: int = 200) -> list[int]:
    return list(
        Notification.objects.filter(
            status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
