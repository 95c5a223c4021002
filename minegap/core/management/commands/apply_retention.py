"""`manage.py apply_retention [--dry-run]`: delete or pseudonymise what its retention period ends."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from minegap.core.retention import apply_retention


class Command(BaseCommand):
    help = "Apply every registered retention rule; one line per rule with the records it changed."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due; change nothing."
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        counts = apply_retention(now=timezone.now(), dry_run=dry_run)
        verb = "due" if dry_run else "changed"
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} {verb}")
