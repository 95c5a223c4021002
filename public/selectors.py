"""Reads of the public site: who got what, computed in the database from calls records.

What counts as awarded (documented on the figures page and in the API schema):
- a *funded project* is an application in state ``funded`` (voucher signed), or in state
  ``selected`` once its call's results are published (``results_published`` or ``archived``);
  selected applications of a call whose results are not yet published stay private;
- a *funded SME* (beneficiary) is an organisation that is a consortium member of a funded project
  with an awarded amount above zero; amounts are the members' ``awarded_amount``;
- *proposals received* are the call's applications that were submitted and not withdrawn, and
  *eligible* those that passed the eligibility check (whatever happened next); for a call
  imported from elsewhere the counts recorded with the import (``CallFigures``) replace them.

Results imported from calls run elsewhere create the same records, so they count the same way.
A project's *award date* is the one recorded with its import, else the day its call's results were
published in MineGap (when the consortium was told, and the project became public).

Value-chain stages, sectors and critical raw materials are those of the funded SMEs' *published*
partner profiles (matchmaking); an SME without one counts under "not stated". A project matches a
stage (sector, material) when any of its funded SMEs has it.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from calls import selectors as calls_selectors
from calls.models import Application, ApplicationState, Call, CallState, ConsortiumMember
from events import selectors as events_selectors
from matchmaking import selectors as matchmaking_selectors
from matchmaking import vocab
from public.cache import cached_until
from vouchers import selectors as vouchers_selectors

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)

RESULTS_PUBLIC_STATES = frozenset({CallState.RESULTS_PUBLISHED, CallState.ARCHIVED})
PUBLIC_CALL_STATES = CallState.visible()
ELIGIBLE_STATES = frozenset(
    {
        ApplicationState.ELIGIBLE,
        ApplicationState.UNDER_EVALUATION,
        ApplicationState.EVALUATED,
        ApplicationState.SELECTED,
        ApplicationState.RESERVE,
        ApplicationState.REJECTED,
        ApplicationState.FUNDED,
    }
)


def awarded_q(prefix: str = "") -> Q:
    """The condition "this application is a funded project", seen from `prefix` (e.g.
    ``"application__"`` from a consortium member)."""
    return Q(**{f"{prefix}call__state__in": PUBLIC_CALL_STATES}) & (
        Q(**{f"{prefix}state": ApplicationState.FUNDED})
        | Q(
            **{
                f"{prefix}state": ApplicationState.SELECTED,
                f"{prefix}call__state__in": RESULTS_PUBLIC_STATES,
            }
        )
    )


def funded_applications() -> QuerySet[Application]:
    return Application.objects.filter(awarded_q())


def beneficiary_members() -> QuerySet[ConsortiumMember]:
    """Consortium members of funded projects that were awarded money (one row per award)."""
    return ConsortiumMember.objects.filter(
        awarded_q("application__"), organisation__isnull=False, awarded_amount__gt=0
    )


def _scalar(queryset: QuerySet, group: str, aggregate: Any, default: Any, output: Any) -> Any:
    """A correlated subquery giving one aggregate per outer row (grouped by `group`)."""
    inner = queryset.order_by().values(group).annotate(value=aggregate).values("value")[:1]
    return Coalesce(Subquery(inner, output_field=output), default, output_field=output)


def public_calls() -> QuerySet[Call]:
    """Public calls, newest first (slug and title: for filter choices)."""
    return (
        Call.objects.filter(state__in=PUBLIC_CALL_STATES)
        .only("slug", "title")
        .order_by(F("opens_at").desc(nulls_last=True), "-created_at", "pk")
    )


def calls_with_figures() -> list[Call]:
    """Public calls, newest first, each with its figures as attributes, in two grouped queries:
    the calls with their applications' counts, and their beneficiaries' figures.

    Grouped queries make one pass over the data; a correlated subquery per figure scanned the
    members once per figure and call, and joining members into the calls' grouping would need
    distinct counts of applications, sorted with every call column.
    """
    applications = "applications"
    funded = Q(applications__state=ApplicationState.FUNDED) | Q(
        applications__state=ApplicationState.SELECTED, state__in=RESULTS_PUBLIC_STATES
    )
    calls = list(
        Call.objects.filter(state__in=PUBLIC_CALL_STATES)
        .alias(
            applications_received=Count(
                applications,
                filter=Q(applications__state__in=ApplicationState.submitted_states()),
            ),
            applications_eligible=Count(
                applications, filter=Q(applications__state__in=ELIGIBLE_STATES)
            ),
        )
        .annotate(
            proposals_received=Coalesce(
                F("public_figures__proposals_received"), F("applications_received")
            ),
            proposals_eligible=Coalesce(
                F("public_figures__proposals_eligible"), F("applications_eligible")
            ),
            projects_funded=Count(applications, filter=funded),
        )
        .order_by(F("opens_at").desc(nulls_last=True), "-created_at", "pk")
    )
    members = {
        row["call"]: row
        for row in beneficiary_members()
        .order_by()
        .values(call=F("application__call"))
        .annotate(
            smes_funded=Count("organisation", distinct=True),
            countries=Count("organisation__country", distinct=True),
            total_awarded=Sum("awarded_amount"),
        )
    }
    for call in calls:
        figures = members.get(call.pk, {})
        call.smes_funded = figures.get("smes_funded", 0)
        call.countries = figures.get("countries", 0)
        call.total_awarded = vouchers_selectors.as_money(figures.get("total_awarded"))
    return calls


@dataclass(frozen=True)
class Figures:
    calls: int
    proposals_received: int
    proposals_eligible: int
    projects_funded: int
    smes_funded: int
    countries: int
    total_awarded: Decimal

    @property
    def success_rate(self) -> Decimal | None:
        """Funded projects per proposal received, in percent to one decimal (None without any)."""
        if not self.proposals_received:
            return None
        return (Decimal(self.projects_funded) * 100 / self.proposals_received).quantize(
            Decimal("0.1")
        )

    def as_api(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "proposals_received": self.proposals_received,
            "proposals_eligible": self.proposals_eligible,
            "projects_funded": self.projects_funded,
            "smes_funded": self.smes_funded,
            "countries": self.countries,
            "total_awarded": f"{self.total_awarded:.2f}",
        }


@dataclass(frozen=True)
class Stats:
    overall: Figures
    per_call: dict[str, Figures] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    def as_api(self) -> dict[str, Any]:
        return {
            **self.overall.as_api(),
            "per_call": {slug: figures.as_api() for slug, figures in self.per_call.items()},
        }


def figures_of(call: Call) -> Figures:
    """The figures of a call annotated by `calls_with_figures`."""
    return Figures(
        calls=1,
        proposals_received=call.proposals_received,
        proposals_eligible=call.proposals_eligible,
        projects_funded=call.projects_funded,
        smes_funded=call.smes_funded,
        countries=call.countries,
        total_awarded=vouchers_selectors.as_money(call.total_awarded),
    )


def public_stats() -> Stats:
    """Figures overall and per call, in three queries whatever the amount of data.

    Distinct SMEs and countries are counted across calls (an SME funded in two calls counts once
    overall), so the overall figures are not the sums of the per-call ones.
    """
    calls = calls_with_figures()
    per_call = {call.slug: figures_of(call) for call in calls}
    members = beneficiary_members().aggregate(
        smes=Count("organisation", distinct=True),
        countries=Count("organisation__country", distinct=True),
        total=Sum("awarded_amount"),
    )
    overall = Figures(
        calls=len(calls),
        proposals_received=sum(f.proposals_received for f in per_call.values()),
        proposals_eligible=sum(f.proposals_eligible for f in per_call.values()),
        # A funded project belongs to one public call: the per-call counts add up.
        projects_funded=sum(f.projects_funded for f in per_call.values()),
        smes_funded=members["smes"],
        countries=members["countries"],
        total_awarded=vouchers_selectors.as_money(members["total"]),
    )
    return Stats(overall=overall, per_call=per_call, calls=calls)


def funding_by_country() -> list[dict[str, Any]]:
    """Per country of the funded SMEs: distinct SMEs, awards and the amount, largest first."""
    rows = (
        beneficiary_members()
        .order_by()
        .values(country=F("organisation__country"))
        .annotate(
            smes=Count("organisation", distinct=True),
            projects=Count("application", distinct=True),
            total=Sum("awarded_amount"),
        )
    )
    result = [{**row, "total": vouchers_selectors.as_money(row["total"])} for row in rows]
    return sorted(result, key=lambda row: (-row["total"], row["country"]))


def funding_by_region() -> list[dict[str, Any]]:
    """Per NUTS region of the funded SMEs ("" when an organisation gave none), largest first."""
    rows = (
        beneficiary_members()
        .order_by()
        .values(country=F("organisation__country"), region=F("organisation__nuts_region"))
        .annotate(smes=Count("organisation", distinct=True), total=Sum("awarded_amount"))
    )
    result = [{**row, "total": vouchers_selectors.as_money(row["total"])} for row in rows]
    return sorted(result, key=lambda row: (-row["total"], row["country"], row["region"]))


def funding_by_voucher_type() -> list[dict[str, Any]]:
    """Per voucher type name (imported projects have none: "" groups them)."""
    rows = (
        beneficiary_members()
        .order_by()
        .values(voucher=Coalesce(F("application__voucher_type__name"), Value("")))
        .annotate(projects=Count("application", distinct=True), total=Sum("awarded_amount"))
    )
    result = [{**row, "total": vouchers_selectors.as_money(row["total"])} for row in rows]
    return sorted(result, key=lambda row: (-row["total"], row["voucher"]))


FACET_VOCABULARIES = {
    "stages": vocab.Stage,
    "sectors": vocab.Sector,
    "raw_materials": vocab.RawMaterial,
}


def funding_by_facets(facets: tuple[str, ...] = tuple(FACET_VOCABULARIES)) -> dict[str, Any]:
    """Per facet of `facets` ("stages", "sectors", "raw_materials"), per code: distinct funded
    SMEs whose published profile has it, and the amount awarded to them, in one query for all.

    Each award counts once per code its SME has: an SME with two stages counts in both, so the
    rows may add up to more than the total. `rows` are in vocabulary order (stages follow the
    value chain) with every code that has money; `not_stated` is the SMEs without the facet.
    """
    grouped = list(
        beneficiary_members()
        .order_by()
        .values(**{facet: matchmaking_selectors.published_facet(facet) for facet in facets})
        .annotate(smes=Count("organisation", distinct=True), total=Sum("awarded_amount"))
    )
    return {facet: _facet_funding(facet, grouped) for facet in facets}


def _facet_funding(facet: str, grouped: list[dict[str, Any]]) -> dict[str, Any]:
    vocabulary = FACET_VOCABULARIES[facet]
    totals = {code: {"smes": 0, "total": ZERO} for code in vocabulary.values}
    not_stated = {"smes": 0, "total": ZERO}
    # An organisation has one profile, so it falls in exactly one group (whatever facets the
    # groups are of): SME counts add up.
    for group in grouped:
        for bucket in [totals[code] for code in group[facet]] or [not_stated]:
            bucket["smes"] += group["smes"]
            bucket["total"] += vouchers_selectors.as_money(group["total"])
    rows = [
        {"code": code, "name": str(vocabulary(code).label), **values}
        for code, values in totals.items()
        if values["smes"] or facet == "stages"
    ]
    return {"rows": rows, "not_stated": not_stated}


def award_dates(application: str = "") -> dict[str, Any]:
    """Annotations for rows whose application is at path `application` ("" for applications):
    `imported_award_date` (recorded by an import of results from elsewhere, else None) and
    `award_date` (that, else the date the call's results were published in MineGap)."""
    imported = F(f"{application}public_award__award_date")
    return {
        "imported_award_date": imported,
        "award_date": Coalesce(
            imported,
            TruncDate(f"{application}call__results_publication__published_at"),
        ),
    }


def duration_months(row: Application | ConsortiumMember) -> tuple[int | None, bool]:
    """(months, planned) of a row annotated by `funded_projects` or `beneficiaries`: from the
    voucher's start to its last deliverable's due date; without a voucher yet, the planned
    duration of a MineGap voucher; None for projects imported from calls run elsewhere."""
    if row.project_start is not None:
        return vouchers_selectors.months_between(row.project_start, row.project_end), False
    if row.imported_award_date is None:
        return vouchers_selectors.PLANNED_PROJECT_MONTHS, True
    return None, False


PROJECT_SORTS = {
    "acronym": ("submitted_acronym", "pk"),
    "-acronym": ("-submitted_acronym", "-pk"),
    "amount": ("awarded_total", "pk"),
    "-amount": ("-awarded_total", "-pk"),
    # The stored key (calls.services.awards), indexed: the award date without its joins.
    "date": (F("awarded_on").asc(nulls_first=True), "pk"),
    "-date": (F("awarded_on").desc(nulls_last=True), "-pk"),
    "call": ("call__title", "submitted_acronym", "pk"),
}
DEFAULT_PROJECT_SORT = "-date"


def funded_projects(
    *,
    search: str = "",
    call: str = "",
    country: str = "",
    voucher_type: str = "",
    stage: str = "",
    sector: str = "",
    crm: str = "",
    sort: str = DEFAULT_PROJECT_SORT,
) -> QuerySet[Application]:
    """Funded projects with their amount, award date, voucher dates (`project_start`,
    `project_end`) and beneficiaries (`beneficiaries`, a list of members with their organisation
    and their published profile's `stages`, `sectors`, `raw_materials`), in a fixed number of
    queries (one for the projects, one for all their beneficiaries).

    `call` is a call slug, `country` an ISO code of a beneficiary, `voucher_type` a voucher type
    name; `stage`, `sector` and `crm` (critical raw material) are vocabulary codes a beneficiary's
    published profile has; `search` looks in acronym, title, summary and the beneficiaries' names.
    """
    awards = _awards_of_project()
    # Searched and sorted as submitted, never by an edit made after that.
    queryset = funded_applications().annotate(**calls_selectors.submitted_text_fields())
    if search:
        queryset = queryset.filter(
            Q(submitted_acronym__icontains=search)
            | Q(submitted_title__icontains=search)
            | Q(submitted_summary__icontains=search)
            | Exists(
                awards.filter(
                    Q(organisation__legal_name__icontains=search)
                    | Q(organisation__short_name__icontains=search)
                )
            )
        )
    if call:
        queryset = queryset.filter(call__slug=call)
    if country:
        queryset = queryset.filter(Exists(awards.filter(organisation__country=country)))
    if voucher_type:
        queryset = queryset.filter(voucher_type__name=voucher_type)
    if stage or sector or crm:
        # Each facet may be met by a different SME of the project: one EXISTS per facet.
        for facet in ({"stage": stage}, {"sector": sector}, {"raw_material": crm}):
            if any(facet.values()):
                queryset = queryset.filter(
                    Exists(
                        awards.filter(
                            organisation_id__in=matchmaking_selectors.organisations_with(**facet),
                        )
                    )
                )
    order = PROJECT_SORTS.get(sort, PROJECT_SORTS[DEFAULT_PROJECT_SORT])
    return with_project_details(queryset).order_by(*order)


def _awards_of_project() -> QuerySet[ConsortiumMember]:
    """`beneficiary_members` of the outer row, a funded project: its members awarded money. The
    project being funded is the outer query's condition, not repeated here (it joined the
    application and its call again for every row)."""
    return ConsortiumMember.objects.filter(
        application=OuterRef("pk"), organisation__isnull=False, awarded_amount__gt=0
    )


def with_project_details(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """`queryset` of funded projects with what `funded_projects` adds to each row."""
    return (
        queryset.select_related("call", "voucher_type")
        .annotate(
            awarded_total=_scalar(
                _awards_of_project(),
                "application",
                Sum("awarded_amount"),
                Value(ZERO),
                MONEY_FIELD,
            ),
            **award_dates(),
            **vouchers_selectors.project_dates("pk"),
            # The public reads the texts as submitted, never an edit made after that.
            **calls_selectors.submitted_text_fields(),
        )
        .prefetch_related(
            Prefetch(
                "members",
                queryset=beneficiary_members()
                .select_related("organisation")
                .annotate(
                    **{
                        facet: matchmaking_selectors.published_facet(facet)
                        for facet in matchmaking_selectors.PUBLIC_FACETS
                    }
                )
                .order_by("-is_lead", "organisation__legal_name", "pk"),
                to_attr="beneficiaries",
            )
        )
    )


def project_page(ids: QuerySet) -> QuerySet[Application]:
    """The projects whose ids `ids` (a subquery: one page of `funded_projects`) gives, with
    their details: the details are computed for the page's rows only."""
    return with_project_details(Application.objects.filter(pk__in=ids))


def funded_project(pk: int) -> Application | None:
    return funded_projects().filter(pk=pk).first()


def project_deliverables(project: Application) -> list:
    """The accepted files of the deliverables staff marked public, for a funded project."""
    return vouchers_selectors.public_deliverables([project.pk]).get(project.pk, [])


def deliverable_file(project_id: int, version_id: int):
    """A public deliverable's accepted file, only while its project is a public funded project."""
    if not funded_applications().filter(pk=project_id).exists():
        return None
    return vouchers_selectors.public_deliverable_file(project_id, version_id)


BENEFICIARY_SORTS = {
    "name": ("organisation__legal_name", "pk"),
    "-name": ("-organisation__legal_name", "-pk"),
    "amount": ("awarded_amount", "pk"),
    "-amount": ("-awarded_amount", "-pk"),
    "country": ("organisation__country", "organisation__legal_name", "pk"),
    "project": ("submitted_acronym", "organisation__legal_name", "pk"),
}
DEFAULT_BENEFICIARY_SORT = "name"


def beneficiaries(
    *, call: str = "", country: str = "", search: str = "", sort: str = DEFAULT_BENEFICIARY_SORT
) -> QuerySet[ConsortiumMember]:
    """The publication list: one row per award (organisation, project, amount), one query."""
    # The project searched and sorted as submitted, never by an edit made after that.
    queryset = beneficiary_members().annotate(
        **calls_selectors.submitted_text_fields("application")
    )
    if call:
        queryset = queryset.filter(application__call__slug=call)
    if country:
        queryset = queryset.filter(organisation__country=country)
    if search:
        queryset = queryset.filter(
            Q(organisation__legal_name__icontains=search)
            | Q(submitted_acronym__icontains=search)
            | Q(submitted_title__icontains=search)
        )
    order = BENEFICIARY_SORTS.get(sort, BENEFICIARY_SORTS[DEFAULT_BENEFICIARY_SORT])
    return with_beneficiary_details(queryset).order_by(*order)


def with_beneficiary_details(queryset: QuerySet[ConsortiumMember]) -> QuerySet[ConsortiumMember]:
    """`queryset` of awards with what `beneficiaries` adds to each row."""
    return queryset.select_related("organisation", "application__call").annotate(
        **award_dates("application__"),
        **vouchers_selectors.project_dates("application"),
        **calls_selectors.submitted_text_fields("application"),
    )


def beneficiary_page(ids: QuerySet) -> QuerySet[ConsortiumMember]:
    """The awards whose ids `ids` (a subquery: one page of `beneficiaries`) gives, with their
    details: the details are computed for the page's rows only."""
    return with_beneficiary_details(ConsortiumMember.objects.filter(pk__in=ids))


def funded_voucher_types() -> list[str]:
    return list(
        funded_applications()
        .filter(voucher_type__isnull=False)
        .order_by("voucher_type__name")
        .values_list("voucher_type__name", flat=True)
        .distinct()
    )


def beneficiary_countries() -> list[str]:
    """ISO codes of the countries that have at least one funded SME, for the filters' choices."""
    return list(
        beneficiary_members()
        .order_by("organisation__country")
        .values_list("organisation__country", flat=True)
        .distinct()
    )


EVENT_FIGURES = (
    "events_held",
    "participants",
    "meetings_held",
    "consortia_formed",
    "funded_consortia_met",
)


def cached_event_figures() -> dict[str, int]:
    """`event_figures`, cached: `public.signals` forgets them when an event, a registration, a
    meeting request, a meeting or a meeting outcome changes (or a funded project, as every
    public figure), and they are not kept past the next moment an event starts or ends."""
    return cached_until("event-figures", event_figures, events_selectors.next_clock_change)


def event_figures() -> dict[str, int]:
    """The events' figures (events held, participants, meetings held, consortia formed) and
    the programme's own: how many funded projects have two members that held a one-to-one
    meeting at one of its events."""
    figures = events_selectors.event_figures()
    pairs = events_selectors.organisation_pairs_met()
    met = 0
    if pairs:
        members: dict[int, set[int]] = {}
        rows = ConsortiumMember.objects.filter(
            application__in=funded_applications(), organisation__isnull=False
        ).values_list("application_id", "organisation_id")
        for application_id, organisation_id in rows:
            members.setdefault(application_id, set()).add(organisation_id)
        met = sum(
            any(pair <= organisations for pair in pairs) for organisations in members.values()
        )
    return {**figures, "funded_consortia_met": met}
