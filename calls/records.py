"""The record of an application: what counts of it, as a read-only value.

After the deadline, everything downstream (eligibility, evaluators, ESR, committee, public
texts) reads the last submitted version, never the live rows, which an applicant may have
edited after submitting without submitting again. `submitted_records` builds that record from
the last `ApplicationVersion` snapshot; `live_record` builds the same shape from the live rows,
for the submission check and for results imported from a call run elsewhere (never submitted
here, never editable).

The organisations are the live rows (their SME declarations, funding history and
administrators are read through them); the names, countries and amounts are the submitted ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.dateparse import parse_datetime

from accounts.models import Organisation
from calls.models import (
    Application,
    ApplicationState,
    ApplicationVersion,
    Attachment,
    ConsortiumMember,
    MemberRole,
    MemberStatus,
    VoucherType,
)
from minegap.core.compiled_queries import CompiledQuery, model_columns


@dataclass(frozen=True)
class RecordMember:
    organisation: Organisation
    legal_name: str
    country: str
    vat_number: str
    is_lead: bool
    role: str
    requested_amount: Decimal
    budget_description: str
    declaration_signed_at: datetime | None

    @property
    def organisation_id(self) -> int:
        return self.organisation.pk

    @property
    def role_label(self) -> str:
        return str(MemberRole(self.role).label) if self.role else ""


@dataclass(frozen=True)
class RecordAnswer:
    question_id: int
    label: str
    text: str


@dataclass(frozen=True)
class RecordAttachment:
    """A file as submitted: `id` is its `Attachment` row, never rewritten nor deleted (a
    replacement is a new row), so it still serves the submitted file after later edits."""

    id: int
    requirement_id: int
    requirement: str
    name: str
    kind: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ApplicationRecord:
    application_id: int
    reference: str
    version: int | None  # None: the live rows (a draft being checked, or imported results)
    submitted_at: datetime | None
    title: str
    acronym: str
    summary: str
    voucher_type: VoucherType | None
    members: tuple[RecordMember, ...]
    answers: tuple[RecordAnswer, ...]
    attachments: tuple[RecordAttachment, ...]

    @property
    def display_name(self) -> str:
        return self.acronym or self.title

    @property
    def requested_total(self) -> Decimal:
        return sum((m.requested_amount for m in self.members), Decimal("0.00"))

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(m.organisation_id for m in self.members)


def live_record(application: Application) -> ApplicationRecord:
    """The application as it stands (confirmed members, present attachments)."""
    members = application.members.filter(status=MemberStatus.CONFIRMED).select_related(
        "organisation"
    )
    answers = {a.question_id: a.text for a in application.answers.all()}
    return ApplicationRecord(
        application_id=application.pk,
        reference=application.reference or "",
        version=None,
        submitted_at=application.submitted_at,
        title=application.title,
        acronym=application.acronym,
        summary=application.summary,
        voucher_type=application.voucher_type,
        members=tuple(
            RecordMember(
                organisation=m.organisation,
                legal_name=m.organisation.legal_name,
                country=m.organisation.country,
                vat_number=m.organisation.vat_number,
                is_lead=m.is_lead,
                role=m.role,
                requested_amount=m.requested_amount,
                budget_description=m.budget_description,
                declaration_signed_at=m.declaration_signed_at,
            )
            for m in members
        ),
        answers=tuple(
            RecordAnswer(question_id=q.pk, label=q.label, text=answers.get(q.pk, ""))
            for q in application.call.questions.all()
        ),
        attachments=tuple(
            RecordAttachment(
                id=a.pk,
                requirement_id=a.requirement_id,
                requirement=a.requirement.label,
                name=a.original_name,
                kind=a.kind,
                size=a.size,
                sha256=a.sha256,
            )
            for a in application.attachments.filter(removed_at__isnull=True)
            .select_related("requirement")
            .order_by("requirement__order", "pk")
        ),
    )


def _voucher_type(snapshot: dict, voucher_types: dict[int, VoucherType], call_id: int):
    """The submitted voucher type: by id (snapshots since the record), else by its name."""
    if snapshot.get("voucher_type_id") in voucher_types:
        return voucher_types[snapshot["voucher_type_id"]]
    name = snapshot.get("voucher_type") or ""
    return next(
        (v for v in voucher_types.values() if v.call_id == call_id and v.name == name and name),
        None,
    )


def _record(
    version: ApplicationVersion,
    organisations: dict[int, Organisation],
    attachments: dict[int, Attachment],
    voucher_types: dict[int, VoucherType],
) -> ApplicationRecord:
    snapshot = version.snapshot
    application = version.application
    return ApplicationRecord(
        application_id=application.pk,
        reference=application.reference or "",
        version=version.number,
        submitted_at=version.submitted_at,
        title=snapshot.get("title", ""),
        acronym=snapshot.get("acronym", ""),
        summary=snapshot.get("summary", ""),
        voucher_type=_voucher_type(snapshot, voucher_types, application.call_id),
        members=tuple(
            RecordMember(
                organisation=organisations[m["organisation_id"]],
                legal_name=m["legal_name"],
                country=m["country"],
                vat_number=m.get("vat_number", ""),
                is_lead=m["is_lead"],
                role=m["role"],
                requested_amount=Decimal(m["requested_amount"]),
                budget_description=m.get("budget_description", ""),
                declaration_signed_at=parse_datetime(m["declaration_signed_at"])
                if m.get("declaration_signed_at")
                else None,
            )
            for m in snapshot.get("members", [])
        ),
        answers=tuple(
            RecordAnswer(question_id=a["question_id"], label=a["label"], text=a["text"])
            for a in snapshot.get("answers", [])
        ),
        attachments=tuple(
            RecordAttachment(
                id=a["id"],
                requirement_id=attachments[a["id"]].requirement_id,
                requirement=a["requirement"],
                name=a["name"],
                kind=a["kind"],
                size=a["size"],
                sha256=a["sha256"],
            )
            for a in snapshot.get("attachments", [])
        ),
    )


def last_version_number() -> Subquery:
    """The number of the last submitted version of the application `OuterRef("application")`
    names: `ApplicationVersion.objects.filter(number=last_version_number())` keeps each
    application's last version."""
    return Subquery(
        ApplicationVersion.objects.filter(application=OuterRef("application"))
        .order_by("-number")
        .values("number")[:1]
    )


def versions_records(
    versions: list[ApplicationVersion], *, voucher_types: dict[int, VoucherType] | None = None
) -> dict[int, ApplicationRecord]:
    """application id -> the record of the given version, in three queries for them all (two
    when given the `voucher_types` of the versions' calls, by id)."""
    organisation_ids = {
        m["organisation_id"] for v in versions for m in v.snapshot.get("members", [])
    }
    attachment_ids = {a["id"] for v in versions for a in v.snapshot.get("attachments", [])}
    organisations = Organisation.objects.in_bulk(organisation_ids)
    attachments = Attachment.objects.in_bulk(attachment_ids)
    if voucher_types is None:
        call_ids = {v.application.call_id for v in versions}
        voucher_types = VoucherType.objects.filter(call_id__in=call_ids).in_bulk()
    return {
        v.application_id: _record(v, organisations, attachments, voucher_types) for v in versions
    }


#: What `_record` reads of a version, in the order of its fields (as `from_db` takes them).
_VERSION_FIELDS = model_columns(
    ApplicationVersion, "id", "application_id", "number", "submitted_at", "snapshot"
)
_VOUCHER_TYPE_FIELDS = model_columns(VoucherType)
# Built and compiled once per process: only the application (the call) changes (issue #15:
# building the ORM's queries for one record cost the scoring page ten times running them).
_CALL_VOUCHER_TYPES = CompiledQuery(
    lambda call: VoucherType.objects.filter(call=call).values_list(*_VOUCHER_TYPE_FIELDS), "call"
)
_LAST_VERSION = CompiledQuery(
    lambda application: (
        ApplicationVersion.objects.filter(application=application)
        .order_by("-number")
        .values_list(*_VERSION_FIELDS)[:1]
    ),
    "application",
)


def last_submitted_record(application: Application) -> ApplicationRecord | None:
    """What `calls.selectors.submitted_record` answers, for an application just read (its id,
    reference, call and state are taken from it, not read again): its last submitted version,
    else, for imported results, its rows; None for a draft or a withdrawn application."""
    row = _LAST_VERSION.first(application=application.pk)
    if row is None:
        if application.state in ApplicationState.submitted_states():
            return live_record(application)
        return None
    version = ApplicationVersion.from_db(DEFAULT_DB_ALIAS, _VERSION_FIELDS, row)
    version.application = application
    voucher_types = {
        row[0]: VoucherType.from_db(DEFAULT_DB_ALIAS, _VOUCHER_TYPE_FIELDS, row)
        for row in _CALL_VOUCHER_TYPES.rows(call=application.call_id)
    }
    return versions_records([version], voucher_types=voucher_types)[application.pk]


@dataclass(frozen=True)
class SubmittedConsortium:
    """The two facts of a record that a ranking reads: the members' countries and the sum of
    their requested amounts (`ApplicationRecord.requested_total`)."""

    countries: frozenset[str]
    requested: Decimal


def submitted_consortia(applications: QuerySet[Application]) -> dict[int, SubmittedConsortium]:
    """application id -> the countries and requested sum of its record, as `submitted_records`
    gives them (the last submitted version; imported results: their confirmed members), in two
    queries whatever the number, reading only the members of each snapshot (not its answers nor
    summary) and no `Organisation` row."""
    consortia = {}
    for application_id, members in ApplicationVersion.objects.filter(
        application__in=applications.values("pk"), number=last_version_number()
    ).values_list("application_id", "snapshot__members"):
        members = members or []
        consortia[application_id] = SubmittedConsortium(
            countries=frozenset(m["country"] for m in members),
            requested=sum((Decimal(m["requested_amount"]) for m in members), Decimal("0.00")),
        )
    live: dict[int, tuple[set[str], Decimal]] = {}
    for application_id, country, amount in (
        ConsortiumMember.objects.filter(
            application__in=applications.filter(
                state__in=ApplicationState.submitted_states(), versions__isnull=True
            ).values("pk"),
            status=MemberStatus.CONFIRMED,
        )
        .order_by("pk")
        .values_list("application_id", "organisation__country", "requested_amount")
    ):
        countries, total = live.setdefault(application_id, (set(), Decimal("0.00")))
        countries.add(country)
        live[application_id] = (countries, total + amount)
    for application_id, (countries, total) in live.items():
        consortia.setdefault(
            application_id, SubmittedConsortium(countries=frozenset(countries), requested=total)
        )
    return consortia


@dataclass(frozen=True)
class SubmittedProfile:
    """What the assignment of evaluators reads of a record (`submitted_records` gives the same
    facts): its texts, which the expertise tags are found in, and its members' organisations and
    countries, which keep conflicted evaluators away."""

    texts: tuple[str, ...]  # title, acronym, summary, then each answer's text, in that order
    members: tuple[tuple[int, str], ...]  # (organisation id, country) of each member


def submitted_profiles(applications: Iterable[Application]) -> dict[int, SubmittedProfile]:
    """application id -> its `SubmittedProfile`, in one query for those with a version (the last
    submitted one, read as plain JSON: no `Organisation` row, no model instance); the record of a
    submitted application without any version (imported results) is its live rows, as in
    `submitted_records`. Drafts and withdrawn applications are absent. Made for 2,000
    applications at once, where `submitted_records`' full records cost a third of a second."""
    applications = list(applications)
    profiles = {}
    for application_id, snapshot in ApplicationVersion.objects.filter(
        application_id__in=[a.pk for a in applications], number=last_version_number()
    ).values_list("application_id", "snapshot"):
        profiles[application_id] = SubmittedProfile(
            texts=(
                snapshot.get("title", ""),
                snapshot.get("acronym", ""),
                snapshot.get("summary", ""),
                *(a["text"] for a in snapshot.get("answers", [])),
            ),
            members=tuple(
                (m["organisation_id"], m["country"]) for m in snapshot.get("members", [])
            ),
        )
    for application in applications:
        if (
            application.pk not in profiles
            and application.state in ApplicationState.submitted_states()
        ):
            record = live_record(application)
            profiles[application.pk] = SubmittedProfile(
                texts=(
                    record.title,
                    record.acronym,
                    record.summary,
                    *(a.text for a in record.answers),
                ),
                members=tuple((m.organisation_id, m.country) for m in record.members),
            )
    return profiles
