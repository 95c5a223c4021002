"""Reads of the calls app that are reused or must stay fast."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    CharField,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from accounts.models import Organisation, User
from calls.models import (
    Application,
    ApplicationState,
    ApplicationVersion,
    Call,
    CallState,
    ConsortiumMember,
    MemberStatus,
    VoucherType,
)
from calls.records import (
    ApplicationRecord,
    RecordMember,
    last_version_number,
    live_record,
    versions_records,
)
from minegap.core.compiled_queries import CompiledQuery

CENT = Decimal("0.01")


def published_calls() -> QuerySet[Call]:
    return (
        Call.objects.filter(state__in=CallState.visible())
        .exclude(state=CallState.ARCHIVED)
        .prefetch_related("voucher_types")
        .order_by("-opens_at", "title")
    )


def next_clock_change() -> datetime | None:
    """The next moment a call opens or closes by the clock (its public pages then change)."""
    now = timezone.now()
    moments = Call.objects.filter(state__in=CallState.clock_driven()).aggregate(
        opens=Min("opens_at", filter=Q(opens_at__gt=now)),
        closes=Min("closes_at", filter=Q(closes_at__gt=now)),
    )
    return min((moment for moment in moments.values() if moment is not None), default=None)


def funding_history(organisation: Organisation) -> QuerySet[ConsortiumMember]:
    """Every consortium membership of `organisation` that was awarded money, across calls."""
    return (
        ConsortiumMember.objects.filter(organisation=organisation, awarded_amount__isnull=False)
        .exclude(awarded_amount=0)
        .select_related("application__call")
        .order_by("application__call__closes_at", "id")
    )


def awarded_total(
    organisation: Organisation, *, exclude_application_id: int | None = None
) -> Decimal:
    queryset = funding_history(organisation)
    if exclude_application_id is not None:
        queryset = queryset.exclude(application_id=exclude_application_id)
    total = queryset.aggregate(total=Sum("awarded_amount"))["total"] or Decimal("0")
    return Decimal(total).quantize(CENT)  # SQLite's SUM drops the scale


def awarded_totals(
    organisations: Iterable[Organisation], *, exclude_application_id: int | None = None
) -> dict[int, Decimal]:
    """`awarded_total` of each organisation (id -> total; absent: nothing awarded), in one
    query whatever their number."""
    queryset = ConsortiumMember.objects.filter(
        organisation_id__in=[organisation.pk for organisation in organisations],
        awarded_amount__isnull=False,
    ).exclude(awarded_amount=0)
    if exclude_application_id is not None:
        queryset = queryset.exclude(application_id=exclude_application_id)
    rows = queryset.values("organisation_id").annotate(total=Sum("awarded_amount")).order_by()
    return {row["organisation_id"]: Decimal(row["total"]).quantize(CENT) for row in rows}


def active_members(application: Application) -> list[ConsortiumMember]:
    return [
        m
        for m in application.members.all()
        if m.status in (MemberStatus.INVITED, MemberStatus.CONFIRMED)
    ]


def applications_for_user(user: User) -> QuerySet[Application]:
    """Applications where one of the user's organisations is (or is invited to be) a member."""
    return (
        Application.objects.filter(
            members__organisation__memberships__user=user,
            members__status__in=[MemberStatus.INVITED, MemberStatus.CONFIRMED],
        )
        .distinct()
        .select_related("call", "lead_organisation", "voucher_type")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ApplicationVersion.objects.order_by("-number"),
                to_attr="versions_newest_first",
            )
        )
        .order_by("-created_at")
    )


def pending_invitations(user: User) -> QuerySet[ConsortiumMember]:
    return ConsortiumMember.objects.filter(
        status=MemberStatus.INVITED,
        organisation__memberships__user=user,
        organisation__memberships__role="admin",
    ).select_related("application__call", "application__lead_organisation", "organisation")


STAFF_SORTS = {
    "reference": ("reference", "pk"),
    "-reference": ("-reference", "-pk"),
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
    "title": ("submitted_title", "pk"),
    "-title": ("-submitted_title", "-pk"),
    "requested": ("requested_total", "pk"),
    "-requested": ("-requested_total", "-pk"),
}


def staff_applications(call: Call, **filters: Any) -> QuerySet[Application]:
    """A call's applications, filtered and sorted (`staff_application_rows`): the narrow query
    that the staff list pages and counts; `calls.staff_list.staff_rows` reads what a page shows."""
    return staff_application_rows(Application.objects.filter(call=call), **filters)


def _confirmed_members_of_row() -> QuerySet[ConsortiumMember]:
    return ConsortiumMember.objects.filter(
        application=OuterRef("pk"), status=MemberStatus.CONFIRMED
    ).order_by()


def _requested_total() -> Subquery:
    """The confirmed members' requested sum of each row (NULL without any), per row: no GROUP
    BY of the applications' columns."""
    return Subquery(
        _confirmed_members_of_row()
        .values("application")
        .annotate(total=Sum("requested_amount"))
        .values("total")
    )


def _submitted_requested_total() -> Coalesce:
    """The sum the last submitted version requested (what the staff list shows of a submitted
    application); the confirmed members' live sum for a draft or a version stored without it."""
    last = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by("-number")
    return Coalesce(
        Subquery(last.values("requested_total")[:1]),
        _requested_total(),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def _with_member_from(queryset: QuerySet[Application], country: str) -> Q:
    """The applications of `queryset` with a member from `country`: in the consortium of the
    last submitted version when there is one, else among the confirmed members. The submitted
    consortia are read in one query (their members' countries are in the version's JSON, which
    the two databases cannot search alike)."""
    last = ApplicationVersion.objects.filter(application=OuterRef("application")).order_by(
        "-number"
    )
    consortia = ApplicationVersion.objects.filter(
        application__in=queryset.order_by().values("pk"),
        number=Subquery(last.values("number")[:1]),
    ).values_list("application_id", KT("snapshot__members"))
    submitted = [
        application_id
        for application_id, members in consortia
        if any(
            m.get("country") == country
            for m in (members if isinstance(members, list) else json.loads(members or "[]"))
        )
    ]
    never_submitted = ~Exists(ApplicationVersion.objects.filter(application=OuterRef("pk")))
    live = Exists(
        ConsortiumMember.objects.filter(
            application=OuterRef("pk"),
            status=MemberStatus.CONFIRMED,
            organisation__country=country,
        )
    )
    return Q(pk__in=submitted) | (never_submitted & live)


def staff_application_rows(
    queryset: QuerySet[Application],
    *,
    search: str = "",
    state: str = "",
    country: str = "",
    voucher_type: int | None = None,
    sort: str = "reference",
) -> QuerySet[Application]:
    """`queryset` (a call's applications) filtered and sorted, and nothing else: the ids first
    (the paginator counts and slices this without any join to the members), then
    `calls.staff_list.staff_rows` for the rows shown. The requested total is computed in this
    query only when it is the sort key.

    Titles and acronyms are searched and sorted as submitted (`submitted_text_fields`, as
    aliases: not selected); `calls.staff_list.staff_rows` gives the rows' submitted records."""
    order = STAFF_SORTS.get(sort, STAFF_SORTS["reference"])
    # Built only when the query uses them (an alias nothing uses is left out of the SQL anyway;
    # building its subqueries cost each visit of the list about 0.5 ms).
    if search or order[0].lstrip("-") == "submitted_title":
        texts = submitted_text_fields()
        queryset = queryset.alias(
            submitted_title=texts["submitted_title"],
            submitted_acronym=texts["submitted_acronym"],
        )
    if search:
        queryset = queryset.filter(
            Q(reference__icontains=search)
            | Q(submitted_title__icontains=search)
            | Q(submitted_acronym__icontains=search)
            | Q(lead_organisation__legal_name__icontains=search)
        )
    if state:
        queryset = queryset.filter(state=state)
    if country:
        queryset = queryset.filter(_with_member_from(queryset, country))
    if voucher_type:
        queryset = queryset.filter(voucher_type_id=voucher_type)
    if order[0].lstrip("-") == "requested_total":
        queryset = queryset.annotate(requested_total=_submitted_requested_total())
    return queryset.only("pk").order_by(*order)


def latest_version(application: Application) -> ApplicationVersion | None:
    return application.versions.order_by("-number").first()


def submitted_records(
    applications: Iterable[Application], *, without_versions_too: bool = True
) -> dict[int, ApplicationRecord]:
    """application id -> what counts of it, frozen: its last submitted version (answers,
    budget, consortium, attachments), whatever was edited since without submitting again.

    Results imported from a call run elsewhere (funded, without any version: they were never
    submitted here, and nothing of them is editable) are their rows. A draft or a withdrawn
    application has no record (absent from the dict). A fixed number of queries for the
    submitted ones, whatever their number. `without_versions_too=False` leaves out the
    records of those without a version (a list that shows their rows from its own prefetch).
    """
    applications = list(applications)
    versions = ApplicationVersion.objects.filter(
        application_id__in=[a.pk for a in applications], number=last_version_number()
    ).select_related("application")
    records = versions_records(list(versions))
    if not without_versions_too:
        return records
    for application in applications:
        if (
            application.pk not in records
            and application.state in ApplicationState.submitted_states()
        ):
            records[application.pk] = live_record(application)
    return records


@dataclass(frozen=True)
class SubmittedTexts:
    title: str
    acronym: str
    summary: str


def submitted_texts(applications: Iterable[Application]) -> dict[int, SubmittedTexts]:
    """application id -> its title, acronym and summary as `submitted_records` gives them, in
    one query whatever the number (for lists that show only these)."""
    applications = list(applications)
    # The three texts only, not the whole snapshot (its answers, members, budget); unsorted
    # (the versions' default order joins their applications).
    snapshots = {
        application_id: texts
        for application_id, *texts in ApplicationVersion.objects.filter(
            application_id__in=[a.pk for a in applications], number=last_version_number()
        )
        .order_by()
        .values_list(
            "application_id",
            KT("snapshot__title"),
            KT("snapshot__acronym"),
            KT("snapshot__summary"),
        )
    }
    texts = {}
    for a in applications:
        snapshot = snapshots.get(a.pk)
        if snapshot is not None:
            texts[a.pk] = SubmittedTexts(*(text or "" for text in snapshot))
        elif a.state in ApplicationState.submitted_states():  # imported results: their rows
            texts[a.pk] = SubmittedTexts(a.title, a.acronym, a.summary)
    return texts


# Built and compiled once per process: only the application changes (issue #15: a page of
# one application spent ten times longer building the ORM's query than running it).
_LAST_TEXTS = CompiledQuery(
    lambda application: (
        ApplicationVersion.objects.filter(application=application)
        .order_by("-number")
        .values_list(KT("snapshot__title"), KT("snapshot__acronym"), KT("snapshot__summary"))[:1]
    ),
    "application",
)


def submitted_texts_of(application: Application) -> SubmittedTexts | None:
    """What `submitted_texts` answers for one application just read (for imported results,
    its texts as loaded)."""
    texts = _LAST_TEXTS.first(application=application.pk)
    if texts is not None:
        return SubmittedTexts(*(text or "" for text in texts))
    if application.state in ApplicationState.submitted_states():
        return SubmittedTexts(application.title, application.acronym, application.summary)
    return None


def submitted_text_fields(application: str = "") -> dict[str, Coalesce]:
    """Annotations `submitted_title`, `submitted_acronym` and `submitted_summary`: the texts of
    the last submitted version, in SQL (for lists that filter, sort or page in the database);
    the application's own field when it has no version (imported results). `application`:
    the path to the application from the annotated rows ("" for applications themselves)."""
    outer = OuterRef(application or "pk")
    prefix = f"{application}__" if application else ""
    last = ApplicationVersion.objects.filter(application=outer).order_by("-number")
    return {
        f"submitted_{name}": Coalesce(
            Subquery(last.values(text=KT(f"snapshot__{name}"))[:1]),
            F(f"{prefix}{name}"),
            output_field=CharField(),
        )
        for name in ("title", "acronym", "summary")
    }


def submitted_name_fields(application: str = "") -> dict[str, Coalesce]:
    """`submitted_text_fields` and `submitted_name`: the name the project goes by as submitted
    (its acronym, else its title), in SQL."""
    fields = submitted_text_fields(application)
    fields["submitted_name"] = Coalesce(
        NullIf(fields["submitted_acronym"], Value("")),
        fields["submitted_title"],
        output_field=CharField(),
    )
    return fields


def with_submitted_texts(applications: Iterable[Application]) -> list[Application]:
    """The applications, each with `texts` (`submitted_texts`) for the pages that list them."""
    applications = list(applications)
    texts = submitted_texts(applications)
    for application in applications:
        application.texts = texts.get(application.pk)
    return applications


def submitted_record(application: Application) -> ApplicationRecord | None:
    """The record of one application (see `submitted_records`); None when never submitted."""
    return submitted_records([application]).get(application.pk)


def applicants_to_notify(call: Call) -> list[User]:
    """Admins of every organisation in a draft or submitted application of the call."""
    return list(
        User.objects.filter(
            memberships__role="admin",
            memberships__organisation__consortium_memberships__application__call=call,
            memberships__organisation__consortium_memberships__application__state__in=[
                ApplicationState.DRAFT,
                ApplicationState.SUBMITTED,
            ],
            memberships__organisation__consortium_memberships__status__in=[
                MemberStatus.INVITED,
                MemberStatus.CONFIRMED,
            ],
        )
        .distinct()
        .order_by("email")
    )


class CapSource:
    """Where a cap on a budget comes from."""

    VOUCHER = "voucher"  # the application's voucher type, per SME
    THIRD_PARTY = "third_party"  # the call, per third party
    LIFETIME = "lifetime"  # the call's lifetime cap per SME, less what the SME already received
    PROJECT = "project"  # the call, per project


@dataclass(frozen=True)
class Cap:
    """One cap that applies. `limit` is what may still be requested under it: the cap itself,
    or for the lifetime cap the cap less `received` elsewhere."""

    source: str
    cap: Decimal
    limit: Decimal
    voucher_name: str = ""
    received: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class Caps:
    """The caps on one organisation's share of one application, and on the project's total."""

    per_share: tuple[Cap, ...]
    project: Cap

    @property
    def share_limit(self) -> Cap:
        """The tightest cap on the share: the one that decides what may be requested."""
        return min(self.per_share, key=lambda cap: cap.limit)

    def share_problems(self, amount: Decimal) -> list[Cap]:
        """The caps `amount` breaks, in the order of `per_share`."""
        return [cap for cap in self.per_share if amount > cap.limit]


def budget_caps(
    call: Call,
    voucher: VoucherType | None,
    organisation: Organisation | None,
    *,
    application_id: int | None = None,
    received: Decimal | None = None,
) -> Caps:
    """The one statement of the caps: the budget step's text, its live check, the partner's
    invitation and the submission checks all read it. `organisation` None (an invitation not
    yet claimed): no lifetime history to count. `received`: the organisation's `awarded_total`
    elsewhere when the caller read it already (`awarded_totals` for a whole consortium)."""
    per_share = []
    if voucher is not None:
        per_share.append(
            Cap(
                CapSource.VOUCHER,
                voucher.cap_per_sme,
                voucher.cap_per_sme,
                voucher_name=voucher.name,
            )
        )
    per_share.append(Cap(CapSource.THIRD_PARTY, call.cap_per_third_party, call.cap_per_third_party))
    if call.lifetime_cap_per_sme is not None and organisation is not None:
        if received is None:
            received = awarded_total(organisation, exclude_application_id=application_id)
        per_share.append(
            Cap(
                CapSource.LIFETIME,
                call.lifetime_cap_per_sme,
                max(call.lifetime_cap_per_sme - received, Decimal("0.00")),
                received=received,
            )
        )
    project = Cap(CapSource.PROJECT, call.cap_per_project, call.cap_per_project)
    return Caps(tuple(per_share), project)


def caps_for(application: Application, organisation: Organisation | None) -> Caps:
    """The caps on `organisation`'s share of `application` (its current voucher type)."""
    return budget_caps(
        application.call,
        application.voucher_type,
        organisation,
        application_id=application.pk,
    )


def members_gone_since_submission(
    applications: Iterable[Application],
) -> dict[int, list[RecordMember]]:
    """application id -> the members of its submitted consortium that are no longer confirmed
    members of it (they left after the last submission); applications with none are absent.
    The submitted consortium is what is evaluated and awarded: staff are told before they adopt
    a decision. One query more than `submitted_records`, whatever the number."""
    records = submitted_records(applications)
    confirmed = set(
        ConsortiumMember.objects.filter(
            application_id__in=list(records), status=MemberStatus.CONFIRMED
        ).values_list("application_id", "organisation_id")
    )
    gone = {
        application_id: [
            m for m in record.members if (application_id, m.organisation_id) not in confirmed
        ]
        for application_id, record in records.items()
    }
    return {application_id: members for application_id, members in gone.items() if members}
