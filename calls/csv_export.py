"""CSV export of applications, safe against formula injection (defusedcsv)."""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from calls.models import Application
from minegap.core.csv import csv_lines


def csv_rows(applications: Iterable[Application]) -> Iterator[str]:
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
        map(_application_row, applications),
    )


def _application_row(application: Application) -> list:
    members = application.confirmed_members
    return [
        application.reference or "",
        application.get_state_display(),
        application.acronym,
        application.title,
        application.lead_organisation.legal_name,
        " ".join(sorted({m.organisation.country for m in members})),
        application.voucher_type.name if application.voucher_type else "",
        "; ".join(m.organisation.legal_name for m in members),
        f"{application.requested_total or 0:.2f}",
        application.submitted_at.strftime("%Y-%m-%d %H:%M:%S") if application.submitted_at else "",
    ]
