"""The rows of the staff applications list, its CSV export and its API: what counts of each.

An application that was submitted shows its last submitted version (texts, consortium, voucher
type, budget), whatever was edited since without submitting again (as `submitted_records`
reads it); a draft, or results imported without a version, shows its live rows (the confirmed
members, the lead first).

A page's rows take three queries whatever its length (a fourth when some were never
submitted), and read only what the rows show: the application's few columns, the snapshot's
texts, voucher type and members (never its answers or summary), no model instance but the
applications' (issue #15: the list is paged on its ids first, then this reads the page).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import islice

from django.db.models import F
from django.db.models.fields.json import KT

from calls.models import (
    Application,
    ApplicationState,
    ApplicationVersion,
    ConsortiumMember,
    MemberStatus,
    VoucherType,
)
from calls.records import last_version_number

# The CSV reads the records of this many rows at a time.
CSV_BATCH = 200

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
class StaffRow:
    #: Only `ROW_FIELDS` are loaded (pk, reference, state, submission time and flag, texts).
    application: Application
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


def _last_versions(ids: list[int]) -> dict[int, tuple]:
    """application id -> (title, acronym, voucher type id, voucher type name, members) of its
    last version's snapshot; the applications without a version are absent."""
    # No ordering: the default one joins each version's application to sort on it.
    rows = (
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
    return {row[0]: row[1:] for row in rows}


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


def _from_snapshot(
    application: Application, snapshot: tuple, voucher_types: dict[int, tuple[int, str]]
) -> StaffRow:
    title, acronym, type_id, type_name, members = snapshot
    members = sorted(members or [], key=lambda m: not m["is_lead"])
    lead = next((m["legal_name"] for m in members if m["is_lead"]), "")
    return StaffRow(
        application=application,
        acronym=acronym or "",
        title=title or "",
        lead_organisation=lead or application.lead_name,
        members=tuple((m["legal_name"], m["country"]) for m in members),
        voucher_type=_voucher_name(type_id, type_name, voucher_types, application.call_id),
        requested_total=sum((Decimal(m["requested_amount"]) for m in members), Decimal("0.00")),
        as_submitted=True,
    )


def _live(application: Application, members: list[tuple[str, str, Decimal]]) -> StaffRow:
    return StaffRow(
        application=application,
        acronym=application.acronym,
        title=application.title,
        lead_organisation=application.lead_name,
        members=tuple((name, country) for name, country, _amount in members),
        voucher_type=application.voucher_name,
        requested_total=sum((amount for _n, _c, amount in members), Decimal("0.00")),
        as_submitted=False,
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
    # `in_bulk` filters on the ids (a second `pk__in` doubled the list in the SQL), unsorted.
    loaded = (
        Application.objects.only(*ROW_FIELDS)
        .annotate(
            lead_name=F("lead_organisation__legal_name"), voucher_name=F("voucher_type__name")
        )
        .order_by()
        .in_bulk(ids)
    )
    snapshots = _last_versions(ids)
    names = {}
    if voucher_types is not None:
        names = {v.pk: (v.call_id, v.name) for v in voucher_types}
    elif snapshots:
        calls = {loaded[pk].call_id for pk in snapshots}
        names = {
            pk: (call_id, name)
            for pk, call_id, name in VoucherType.objects.filter(call_id__in=calls).values_list(
                "pk", "call_id", "name"
            )
        }
    live: dict[int, list[tuple[str, str, Decimal]]] = {pk: [] for pk in ids if pk not in snapshots}
    if live:
        for application_id, name, country, amount in (
            ConsortiumMember.objects.filter(application_id__in=live, status=MemberStatus.CONFIRMED)
            .order_by("-is_lead", "pk")
            .values_list(
                "application_id",
                "organisation__legal_name",
                "organisation__country",
                "requested_amount",
            )
        ):
            live[application_id].append((name, country, amount))
    # Each label translated once a list (`get_state_display` builds the whole choices dict,
    # every lazy label translated, for each row).
    labels = {state: str(label) for state, label in ApplicationState.choices}
    return [
        replace(
            _from_snapshot(loaded[pk], snapshots[pk], names)
            if pk in snapshots
            else _live(loaded[pk], live[pk]),
            state_label=labels.get(loaded[pk].state, loaded[pk].state),
        )
        for pk in ids
    ]


def all_staff_rows(applications: Iterable[Application | int]) -> Iterator[StaffRow]:
    """`staff_rows` of a whole list (the CSV), read in batches."""
    applications = iter(applications)
    while batch := list(islice(applications, CSV_BATCH)):
        yield from staff_rows(batch)
