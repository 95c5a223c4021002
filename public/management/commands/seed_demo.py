"""Load the demo data: each app seeds its own part, in pipeline order. Idempotent."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Apps seed in the pipeline's order; each `<app>/demo.py` has `seed(stdout)` (idempotent).
PIPELINE = ("accounts", "matchmaking", "calls", "evaluation", "vouchers", "public")


class Command(BaseCommand):
    help = "Load demo organisations, people, calls and results. Running it twice changes nothing."

    def handle(self, *args, **options) -> None:
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
