"""`manage.py verify_ledger`: recompute the audit chain; exit 1 naming the first broken entry."""

from django.core.management.base import BaseCommand, CommandError

from minegap.ledger.verification import CHUNK_SIZE, verify_chain


class Command(BaseCommand):
    help = "Recompute every audit ledger hash in order; exit 1 naming the first broken entry."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help="Entries fetched per database round trip (default %(default)s).",
        )

    def handle(self, *args, chunk_size: int, **options) -> None:
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        result = verify_chain(chunk_size=chunk_size)
        if not result.intact:
            # CommandError prints the message to stderr and exits with status 1.
            raise CommandError(result.message, returncode=1)
        self.stdout.write(self.style.SUCCESS(result.message))
