"""The rows of the staff applications list, its CSV export and its API: what counts of each.

An application that was submitted shows its last submitted version (texts, consortium, voucher
type, budget), whatever was edited since without submitting again (as `submitted_records`
reads it); a draft, or results imported without a version, shows its live rows (the confirmed
members, the lead first).

A page's rows take three queries whatever its length (a fourth when some were never
submitted), and read only what the rows show: the application's few columns, the snapshot's
texts, voucher type and members (never its answers or summary), as tuples, no model instance
(issue #15: the list is paged on its ids first, then this reads the page).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import islice

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT

from accounts.models import Organisation
from calls.models import (
    Application,
    ApplicationState,
    ApplicationVersion,
    ConsortiumMember,
    MemberStatus,
    VoucherType,
)
from calls.records import last_version_number
from minegap.core.compiled_queries import CompiledQuery

# The CSV reads the records of this many rows at a time.
CSV_BATCH = 200
#: The lengths of the id lists the reads are compiled for (a page, a CSV batch): a list is
#: read with the shortest that holds it, padded.
READ_LENGTHS = (50, CSV_BATCH)

#: The application's own columns a row shows (the rest comes from its last submitted version).
ROW_FIELDS = (
    "pk",
    "call",
    "reference",
    "state",
    "submitted_at",
    "has_unsubmitted_changes",
    "acronym",
    "title",
)


@dataclass(frozen=True)
class ListedApplication:
    """What a row shows of the application itself (the rest is as submitted)."""

    pk: int
    call_id: int
    reference: str | None
    state: str
    submitted_at: datetime | None
    has_unsubmitted_changes: bool


@dataclass(frozen=True)
class StaffRow:
    application: ListedApplication
    acronym: str
    title: str
    lead_organisation: str
    members: tuple[tuple[str, str], ...]  # (legal name, country), the lead first
    voucher_type: str | None
    requested_total: Decimal
    as_submitted: bool  # from the last submitted version (False: a draft's live rows)
    state_label: str = ""  # the application's state, translated

    @property
    def countries(self) -> list[str]:
        return sorted({country for _name, country in self.members})

    @property
    def member_names(self) -> str:
        """ "Name (country), Name (country)": the consortium as the list shows it."""
        return ", ".join(f"{name} ({country})" for name, country in self.members)


# The three reads of a list of rows are built and compiled once per process and database
# (`minegap.core.compiled_queries`; issue #15: building them cost the page more than running
# them): only the ids change.


def _organisation(column: str, organisation: str) -> Subquery:
    """The organisation's `column`, looked up by its key for each row: a join made PostgreSQL
    hash all 6,400 organisations of the bench to name fifty (0.5-1.4 ms of its CPU a page)."""
    return Subquery(
        Organisation.objects.filter(pk=OuterRef(organisation)).order_by().values(column)
    )


def _applications(ids: list[int]) -> QuerySet[Application]:
    # No ordering: the rows come in the caller's order.
    return (
        Application.objects.filter(pk__in=ids)
        .order_by()
        .annotate(lead_name=_organisation("legal_name", "lead_organisation_id"))
        .values_list(*ROW_FIELDS, "lead_name", "voucher_type__name")
    )


def _last_versions(ids: list[int]) -> QuerySet[ApplicationVersion]:
    """(application id, title, acronym, voucher type id, voucher type name, members) of each
    application's last version's snapshot; the applications without a version are absent."""
    # No ordering: the default one joins each version's application to sort on it.
    return (
        ApplicationVersion.objects.filter(application_id__in=ids, number=last_version_number())
        .order_by()
        .values_list(
            "application_id",
            KT("snapshot__title"),
            KT("snapshot__acronym"),
            "snapshot__voucher_type_id",
            KT("snapshot__voucher_type"),
            "snapshot__members",
        )
    )


def _confirmed_members(ids: list[int]) -> QuerySet[ConsortiumMember]:
    return (
        ConsortiumMember.objects.filter(application_id__in=ids, status=MemberStatus.CONFIRMED)
        .order_by("-is_lead", "pk")
        .annotate(
            legal_name=_organisation("legal_name", "organisation_id"),
            country=_organisation("country", "organisation_id"),
        )
        .values_list("application_id", "legal_name", "country", "requested_amount")
    )


_READS = {
    length: tuple(
        CompiledQuery(build, lists={"ids": length})
        for build in (_applications, _last_versions, _confirmed_members)
    )
    for length in READ_LENGTHS
}


def _read(which: int, ids: list[int]) -> list[tuple]:
    """The rows of read `which` (0: applications, 1: last versions, 2: confirmed members)."""
    rows = []
    for start in range(0, len(ids), READ_LENGTHS[-1]):
        chunk = ids[start : start + READ_LENGTHS[-1]]
        length = next(n for n in READ_LENGTHS if n >= len(chunk))
        rows += _READS[length][which].rows(ids=chunk)
    return rows


def _voucher_name(
    type_id, name: str | None, voucher_types: dict[int, tuple[int, str]], call_id: int
) -> str | None:
    """The submitted voucher type's (current) name: by id (snapshots since the record), else by
    its name among the call's types (`calls.records._voucher_type`)."""
    if type_id in voucher_types:
        return voucher_types[type_id][1]
    if not name:
        return None
    return next((n for c, n in voucher_types.values() if c == call_id and n == name), None)


def _submitted_row(
    application: ListedApplication,
    snapshot: tuple,
    lead_name: str,
    voucher_types: dict[int, tuple[int, str]],
    state_label: str,
) -> StaffRow:
    """A row as its last submitted version shows it (the lead as submitted, else as now)."""
    title, acronym, type_id, type_name, members = snapshot
    members = sorted(members or [], key=lambda m: not m["is_lead"])
    lead = next((m["legal_name"] for m in members if m["is_lead"]), "")
    return StaffRow(
        application=application,
        acronym=acronym or "",
        title=title or "",
        lead_organisation=lead or lead_name,
        members=tuple((m["legal_name"], m["country"]) for m in members),
        voucher_type=_voucher_name(type_id, type_name, voucher_types, application.call_id),
        requested_total=sum((Decimal(m["requested_amount"]) for m in members), Decimal("0.00")),
        as_submitted=True,
        state_label=state_label,
    )


def _live_row(
    application: ListedApplication,
    acronym: str,
    title: str,
    lead_name: str,
    voucher_name: str | None,
    members: list[tuple[str, str, Decimal]],
    state_label: str,
) -> StaffRow:
    """A row of a draft (or of results imported without a version): its live rows."""
    return StaffRow(
        application=application,
        acronym=acronym,
        title=title,
        lead_organisation=lead_name,
        members=tuple((name, country) for name, country, _amount in members),
        voucher_type=voucher_name,
        requested_total=sum((amount for _n, _c, amount in members), Decimal("0.00")),
        as_submitted=False,
        state_label=state_label,
    )


def staff_rows(
    applications: Iterable[Application | int],
    *,
    voucher_types: Iterable[VoucherType] | None = None,
) -> list[StaffRow]:
    """One row per application (or application id), in their order. `voucher_types`: every
    voucher type of the applications' calls when the caller has them (else they are read)."""
    ids = [a if isinstance(a, int) else a.pk for a in applications]
    if not ids:
        return []
    loaded = {row[0]: row for row in _read(0, ids)}
    snapshots = {row[0]: row[1:] for row in _read(1, ids)}
    names = {}
    if voucher_types is not None:
        names = {v.pk: (v.call_id, v.name) for v in voucher_types}
    elif snapshots:
        calls = {loaded[pk][1] for pk in snapshots}
        names = {
            pk: (call_id, name)
            for pk, call_id, name in VoucherType.objects.filter(call_id__in=calls).values_list(
                "pk", "call_id", "name"
            )
        }
    live: dict[int, list[tuple[str, str, Decimal]]] = {pk: [] for pk in ids if pk not in snapshots}
    if live:
        for application_id, name, country, amount in _read(2, list(live)):
            live[application_id].append((name, country, amount))
    # Each label translated once a list (`get_state_display` builds the whole choices dict,
    # every lazy label translated, for each row).
    labels = {state: str(label) for state, label in ApplicationState.choices}
    rows = []
    for pk in ids:
        (
            _pk,
            call_id,
            reference,
            state,
            submitted_at,
            has_unsubmitted_changes,
            acronym,
            title,
            lead_name,
            voucher_name,
        ) = loaded[pk]
        application = ListedApplication(
            pk, call_id, reference, state, submitted_at, has_unsubmitted_changes
        )
        label = labels.get(state, state)
        if pk in snapshots:
            row = _submitted_row(application, snapshots[pk], lead_name, names, label)
        else:
            row = _live_row(application, acronym, title, lead_name, voucher_name, live[pk], label)
        rows.append(row)
    return rows


def all_staff_rows(applications: Iterable[Application | int]) -> Iterator[StaffRow]:
    """`staff_rows` of a whole list (the CSV), read in batches."""
    applications = iter(applications)
    while batch := list(islice(applications, CSV_BATCH)):
        yield from staff_rows(batch)
