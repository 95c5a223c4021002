"""`manage.py send_test_email ADDRESS`: queue a test message through the outbox, as services do."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from minegap.notifications.models import Notification
from minegap.notifications.services import enqueue


class Command(BaseCommand):
    help = "Queue a test e-mail to ADDRESS through the outbox and report whether it went out."

    def add_arguments(self, parser) -> None:
        parser.add_argument("address", help="Where to send the test message.")

    def handle(self, *args, address: str, **options) -> None:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise CommandError(f"Not an e-mail address: {address}") from exc
        with transaction.atomic():
            (row,) = enqueue(
                template="notifications/test_message",
                subject=_("MineGap test message"),
                recipients=[address],
            )
        row.refresh_from_db()
        if row.status == Notification.Status.SENT:
            self.stdout.write(self.style.SUCCESS(f"Sent a test message to {address}."))
        elif row.last_error:
            raise CommandError(
                f"Sending failed ({row.last_error}); the outbox retries it at "
                f"{row.next_attempt_at:%Y-%m-%d %H:%M:%S %Z}."
            )
        else:
            self.stdout.write(f"Queued notification {row.pk}: a Celery worker will send it.")
