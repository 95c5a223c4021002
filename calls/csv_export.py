"""CSV export of applications, safe against formula injection (defusedcsv)."""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from calls.models import Application
from calls.staff_list import StaffRow, all_staff_rows
from minegap.core.csv import csv_lines


def csv_rows(applications: Iterable[Application | int]) -> Iterator[str]:
    yield from csv_lines(
        [
            _("Reference"),
            _("State"),
            _("Acronym"),
            _("Title"),
            _("Lead organisation"),
            _("Countries"),
            _("Voucher type"),
            _("Members"),
            _("Requested (EUR)"),
            _("Submitted at (UTC)"),
        ],
        # Each row as submitted (a draft: its live rows), as the staff list shows it.
        map(_application_row, all_staff_rows(applications)),
    )


def _application_row(row: StaffRow) -> list:
    application = row.application
    return [
        application.reference or "",
        row.state_label,
        row.acronym,
        row.title,
        row.lead_organisation,
        " ".join(row.countries),
        row.voucher_type or "",
        "; ".join(name for name, _country in row.members),
        f"{row.requested_total:.2f}",
        application.submitted_at.strftime("%Y-%m-%d %H:%M:%S") if application.submitted_at else "",
    ]
