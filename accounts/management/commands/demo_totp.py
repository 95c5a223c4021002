"""Print the current 6-digit TOTP code of a demo person (demos and browser tests only)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import is_demo_email


def current_code(secret: str, at: float | None = None) -> str:
    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo person (refuses non-demo accounts)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        if not is_demo_email(email):
            raise CommandError(f"{email} is not a demo account.")
        authenticator = Authenticator.objects.filter(
            user__email__iexact=email, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has no TOTP authenticator: run `manage.py seed_demo`.")
        self.stdout.write(current_code(decrypt(authenticator.data["secret"])))
