"""manage.py import_results --call SLUG [--title "..."] FILE.csv
[--proposals-received N --proposals-eligible N] [--actor EMAIL]"""

import csv
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import ngettext

from accounts.models import User
from calls.services.imports import HEADER, ImportRejected, import_external_results
from minegap.core.formatting import format_money
from public.services import store_import_details


class Command(BaseCommand):
    help = (
        "Import the funded projects of a call run elsewhere from a CSV file with the header "
        + ",".join(HEADER)
        + ". All or nothing; running it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file (UTF-8), one row per beneficiary SME.")
        parser.add_argument("--call", required=True, dest="call_slug", help="Slug of the call.")
        parser.add_argument("--title", default="", help="Title of the call, when it is new.")
        parser.add_argument("--proposals-received", type=int, default=None)
        parser.add_argument("--proposals-eligible", type=int, default=None)
        parser.add_argument("--actor", default="", help="E-mail of the staff member importing.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args, **options) -> None:
        actor = None
        if options["actor"]:
            actor = User.objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No user with e-mail {options['actor']}.")
        rows, lines = self._read(Path(options["file"]))
        try:
            with transaction.atomic():
                report = import_external_results(
                    call_slug=options["call_slug"],
                    title=options["title"],
                    rows=rows,
                    line_numbers=lines,
                    actor=actor,
                    proposals_received=options["proposals_received"],
                    proposals_eligible=options["proposals_eligible"],
                )
                details_changed = store_import_details(report=report, actor=actor)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ImportRejected as exc:
            for error in exc.row_errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.row_errors)} bad row(s): nothing was imported.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if not report.changed and not details_changed:
            self.stdout.write(
                f"Nothing changed: call {report.call.slug} already holds these results."
            )
            return
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        projects = len(report.projects_created)
        beneficiaries = report.members_created
        organisations = len(report.organisations_created)
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}Call {report.call.slug}{' (created)' if report.call_created else ''}: "
                + ngettext("%(n)d project created", "%(n)d projects created", projects)
                % {"n": projects}
                + f", {len(report.projects_updated)} updated, "
                f"{len(report.projects_unchanged)} unchanged; "
                + ngettext("%(n)d beneficiary added", "%(n)d beneficiaries added", beneficiaries)
                % {"n": beneficiaries}
                + f", {report.members_updated} updated; "
                + ngettext(
                    "%(n)d organisation registered", "%(n)d organisations registered", organisations
                )
                % {"n": organisations}
                + f"; {format_money(report.total_awarded)} awarded in the call."
            )
        )

    def _read(self, path: Path) -> tuple[list[dict], list[int]]:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        reader = csv.reader(io.StringIO(text))
        header = [name.strip() for name in next(reader, [])]
        if header != list(HEADER):
            raise CommandError(
                f"Line 1: the header must be {','.join(HEADER)} (found {','.join(header)})."
            )
        rows, lines = [], []
        for values in reader:
            if not any(value.strip() for value in values):
                continue  # blank lines
            rows.append(dict(zip(HEADER, values, strict=False)))
            lines.append(reader.line_num)
        return rows, lines
