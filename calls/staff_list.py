"""The rows of the staff applications list, its CSV export and its API: what counts of each.

An application that was submitted shows its last submitted version (texts, consortium, voucher
type, budget), whatever was edited since without submitting again (`submitted_records`); a
draft, or results imported without a version, shows its live rows (the confirmed members
`selectors.staff_application_details` prefetches). The records of a page take a fixed number of queries, whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from calls import selectors
from calls.models import Application
from calls.records import ApplicationRecord

# The CSV reads the records of this many rows at a time.
CSV_BATCH = 200


@dataclass(frozen=True)
class StaffRow:
    application: Application
    acronym: str
    title: str
    lead_organisation: str
    members: tuple[tuple[str, str], ...]  # (legal name, country), the lead first
    voucher_type: str | None
    requested_total: Decimal
    as_submitted: bool  # from the last submitted version (False: a draft's live rows)

    @property
    def countries(self) -> list[str]:
        return sorted({country for _name, country in self.members})


def _from_record(application: Application, record: ApplicationRecord) -> StaffRow:
    members = sorted(record.members, key=lambda m: not m.is_lead)
    lead = next((m.legal_name for m in members if m.is_lead), "")
    return StaffRow(
        application=application,
        acronym=record.acronym,
        title=record.title,
        lead_organisation=lead or application.lead_organisation.legal_name,
        members=tuple((m.legal_name, m.country) for m in members),
        voucher_type=record.voucher_type.name if record.voucher_type else None,
        requested_total=record.requested_total,
        as_submitted=True,
    )


def _live(application: Application) -> StaffRow:
    members = application.confirmed_members  # prefetched, the lead first
    return StaffRow(
        application=application,
        acronym=application.acronym,
        title=application.title,
        lead_organisation=application.lead_organisation.legal_name,
        members=tuple((m.organisation.legal_name, m.organisation.country) for m in members),
        voucher_type=application.voucher_type.name if application.voucher_type else None,
        requested_total=application.requested_total or Decimal("0.00"),
        as_submitted=False,
    )


def staff_rows(applications: Iterable[Application]) -> list[StaffRow]:
    """One row per application (from `selectors.staff_application_details`), in their order."""
    applications = list(applications)
    records = selectors.submitted_records(applications, without_versions_too=False)
    return [_from_record(a, records[a.pk]) if a.pk in records else _live(a) for a in applications]


def all_staff_rows(applications: Iterable[Application]) -> Iterator[StaffRow]:
    """`staff_rows` of a whole list (the CSV), read in batches."""
    applications = iter(applications)
    while batch := list(islice(applications, CSV_BATCH)):
        yield from staff_rows(batch)
