"""Load the demo data: each app seeds its own part, in pipeline order. Idempotent.

Refused under production settings, where it would open staff and committee accounts guarded by
a published password; a demo server may insist, and its demo people then get random
credentials, printed once."""

from contextlib import nullcontext
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import credentials

# Apps seed in the pipeline's order; each `<app>/demo.py` has `seed(stdout)` (idempotent).
PIPELINE = (
    "accounts",
    "matchmaking",
    "calls",
    "evaluation",
    "vouchers",
    "mentoring",
    "events",
    "impact",
    "public",
)


class Command(BaseCommand):
    help = "Load demo organisations, people, calls and results. Running it twice changes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Seed under production settings anyway (a demo server): every demo person gets "
            "a random password and TOTP secret, printed once.",
        )

    def handle(self, *args, not_production: bool = False, **options) -> None:
        if settings.IS_PRODUCTION and not not_production:
            raise CommandError(
                "seed_demo refuses to run under production settings: it creates staff, "
                "evaluator and committee accounts. On a demo server, run it with "
                "--i-know-this-is-not-production (random passwords and TOTP secrets, "
                "printed once)."
            )
        random = credentials.randomised() if settings.IS_PRODUCTION else nullcontext()
        with random:
            for app in PIPELINE:
                try:
                    demo = import_module(f"{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app}.demo":
                        raise
                    continue
                with transaction.atomic():
                    demo.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
