"""Delivering outbox rows: render the templates, send, and back off on failure."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, TemplateDoesNotExist, engines
from django.template.loader import render_to_string
from django.utils import timezone, translation

from minegap.notifications.models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template, without HTML escaping (an "&" in a title stays "&")."""
    template = engines["django"].get_template(template_name)
    return template.template.render(Context(context, autoescape=False))


def render(notification: Notification) -> EmailMultiAlternatives:
    """The message for one row: `emails/<template>.txt`, plus `.html` when it exists.

    Rendered in the language that was active when the notification was queued.
    """
    context = {
        "site_url": settings.SITE_URL,
        "subject": notification.subject,
        **notification.context,
        "recipient_email": notification.email,
    }
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        text = render_text(f"emails/{notification.template}.txt", context)
        try:
            html = render_to_string(f"emails/{notification.template}.html", context)
        except TemplateDoesNotExist as exc:
            if exc.args and exc.args[0] != f"emails/{notification.template}.html":
                raise  # the template exists but something it includes does not
            html = None
    message = EmailMultiAlternatives(
        subject=notification.subject, body=text, to=[notification.email]
    )
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in notification.attachments:
        with default_storage.open(attachment["path"], "rb") as stored:
            message.attach(attachment["filename"], stored.read(), attachment["mimetype"] or None)
    return message


def send(notification_id: int) -> bool:
    """Send one pending notification; True when it went out. Safe to call twice (and
    concurrently: the row is locked, and a sent row is never sent again)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return False
        notification.attempts += 1
        try:
            render(notification).send()
        except Exception as exc:
            # Rendering errors count too: a broken template must not be retried every minute.
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
                logger.error(
                    "Gave up on notification %s after %s attempts: %s",
                    notification.pk,
                    notification.attempts,
                    notification.last_error,
                )
            else:
                logger.warning(
                    "Notification %s failed (attempt %s): %s",
                    notification.pk,
                    notification.attempts,
                    notification.last_error,
                )
            notification.next_attempt_at = timezone.now() + backoff(notification.attempts)
            notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return True


def due_notification_ids(limit: int = 200) -> list[int]:
    return list(
        Notification.objects.filter(
            status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
