"""Reads of the vouchers app that are reused or must stay fast."""

from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from accounts.models import User
from calls import selectors as calls_selectors
from calls.models import Call
from vouchers.models import (
    BeneficiaryShare,
    Deliverable,
    DeliverableState,
    DeliverableVersion,
    Instalment,
    InstalmentShare,
    InstalmentState,
    InstalmentTrigger,
    Payment,
    PaymentRequest,
    SupportService,
    Voucher,
    VoucherState,
)
from vouchers.planning import CENT, PROJECT_DAYS

ZERO = Decimal("0.00")


def as_money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)  # SQLite's SUM drops the scale


def committed_total(call: Call, *, exclude_voucher_id: int | None = None) -> Decimal:
    """What the call's vouchers commit of its budget: every live voucher's amount, plus what was
    paid (net of recoveries) under terminated ones."""
    vouchers = Voucher.objects.filter(call=call)
    if exclude_voucher_id is not None:
        vouchers = vouchers.exclude(pk=exclude_voucher_id)
    live = vouchers.filter(state__in=VoucherState.committed()).aggregate(t=Sum("amount"))["t"]
    spent = Instalment.objects.filter(
        voucher__in=vouchers.filter(state=VoucherState.TERMINATED)
    ).aggregate(paid=Sum("paid_amount"), recovered=Sum("recovered_amount"))
    return as_money(live) + as_money(spent["paid"]) - as_money(spent["recovered"])


def vouchers_for_user(user: User) -> QuerySet[Voucher]:
    """Vouchers in which one of the user's organisations holds a share."""
    if not getattr(user, "is_authenticated", False):
        return Voucher.objects.none()
    return (
        Voucher.objects.filter(shares__organisation__memberships__user=user)
        .distinct()
        .select_related("call", "application")
        # The project's name as submitted (`submitted_name`), never a later unsubmitted edit.
        .annotate(**calls_selectors.submitted_name_fields("application"))
        .order_by("-drafted_at", "-pk")
    )


def budget_summary(call: Call) -> dict:
    """Budget, committed, paid, remaining, and instalment totals by state, for one call."""
    committed = committed_total(call)
    instalments = Instalment.objects.filter(voucher__call=call)
    paid = instalments.aggregate(p=Sum("paid_amount"), r=Sum("recovered_amount"))
    by_state = {
        row["state"]: (row["count"], as_money(row["total"]))
        for row in instalments.values("state").annotate(count=Count("pk"), total=Sum("amount"))
    }
    return {
        "budget": call.total_budget,
        "committed": committed,
        "paid": as_money(paid["p"]),
        "recovered": as_money(paid["r"]),
        "net_paid": as_money(paid["p"]) - as_money(paid["r"]),
        "remaining": call.total_budget - committed,
        "by_state": [
            {
                "state": state,
                "label": label,
                "count": by_state.get(state, (0, ZERO))[0],
                "amount": by_state.get(state, (0, ZERO))[1],
            }
            for state, label in InstalmentState.choices
        ],
        "vouchers_by_state": dict(
            Voucher.objects.filter(call=call)
            .values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        ),
    }


VOUCHER_SORTS = {
    "number": ("agreement_number", "pk"),
    "-number": ("-agreement_number", "-pk"),
    "amount": ("amount", "pk"),
    "-amount": ("-amount", "-pk"),
    "paid": ("paid_total", "pk"),
    "-paid": ("-paid_total", "-pk"),
}


def staff_vouchers(
    call: Call | None = None, *, search: str = "", state: str = "", sort: str = "number"
) -> QuerySet[Voucher]:
    """Vouchers with their beneficiaries and paid totals, in a fixed number of queries."""
    # The project's texts as submitted (`submitted_name`, `submitted_acronym`, ...), searched
    # and shown, never a later unsubmitted edit.
    queryset = Voucher.objects.annotate(**calls_selectors.submitted_name_fields("application"))
    if call is not None:
        queryset = queryset.filter(call=call)
    if search:
        queryset = queryset.filter(
            Q(agreement_number__icontains=search)
            | Q(submitted_acronym__icontains=search)
            | Q(submitted_title__icontains=search)
            | Q(shares__organisation__legal_name__icontains=search)
        ).distinct()
    if state:
        queryset = queryset.filter(state=state)
    return (
        queryset.select_related("call", "application")
        .annotate(
            paid_total=Coalesce(
                Subquery(
                    Instalment.objects.filter(voucher=OuterRef("pk"))
                    .values("voucher")
                    .annotate(t=Sum("paid_amount"))
                    .values("t")
                ),
                Value(ZERO),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )
        .prefetch_related(
            Prefetch(
                "shares",
                queryset=BeneficiaryShare.objects.select_related("organisation").order_by("pk"),
            )
        )
        .order_by(*VOUCHER_SORTS.get(sort, VOUCHER_SORTS["number"]))
    )


def staff_instalments(call: Call | None = None) -> QuerySet[Instalment]:
    queryset = Instalment.objects.all()
    if call is not None:
        queryset = queryset.filter(voucher__call=call)
    return queryset.select_related("voucher__call", "deliverable").order_by(
        "voucher__agreement_number", "sequence"
    )


def staff_payments(
    *,
    call: Call | None = None,
    search: str = "",
    date_from=None,
    date_to=None,
    organisation: str = "",
) -> QuerySet[Payment]:
    queryset = Payment.objects.all()
    if call is not None:
        queryset = queryset.filter(instalment__voucher__call=call)
    if search:
        queryset = queryset.filter(
            Q(bank_reference__icontains=search)
            | Q(instalment__voucher__agreement_number__icontains=search)
        )
    if organisation:
        queryset = queryset.filter(beneficiary__organisation__legal_name__icontains=organisation)
    if date_from:
        queryset = queryset.filter(value_date__gte=date_from)
    if date_to:
        queryset = queryset.filter(value_date__lte=date_to)
    return queryset.select_related(
        "instalment__voucher__call",
        "beneficiary__organisation",
        "recorded_by",
        "approved_by",
    ).order_by("-value_date", "-pk")


def staff_support_services(*, call: Call | None = None) -> QuerySet[SupportService]:
    queryset = SupportService.objects.all()
    if call is not None:
        queryset = queryset.filter(call=call)
    return queryset.select_related("organisation", "call", "voucher").order_by("-date", "-pk")


def voucher_detail(pk: int) -> Voucher:
    """A voucher with everything its page shows, prefetched. Each deliverable carries
    `mentor_instalments`: the instalments that wait for its milestone's mentor report."""
    voucher = (
        Voucher.objects.select_related("call", "application", "countersigned_by")
        .annotate(**calls_selectors.submitted_name_fields("application"))
        .prefetch_related(
            Prefetch(
                "shares",
                queryset=BeneficiaryShare.objects.select_related(
                    "organisation", "signed_by"
                ).order_by("pk"),
            ),
            Prefetch(
                "instalments",
                queryset=Instalment.objects.select_related("deliverable", "milestone")
                .prefetch_related(
                    Prefetch(
                        "splits",
                        queryset=InstalmentShare.objects.select_related(
                            "share__organisation"
                        ).order_by("share_id"),
                    ),
                    Prefetch(
                        "payment_requests",
                        queryset=PaymentRequest.objects.select_related(
                            "requested_by", "decided_by"
                        ),
                    ),
                )
                .order_by("sequence"),
            ),
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.select_related("milestone").prefetch_related(
                    Prefetch(
                        "versions",
                        queryset=DeliverableVersion.objects.select_related(
                            "uploaded_by", "reviewed_by"
                        ).order_by("number"),
                    )
                ),
            ),
            Prefetch(
                "instalments__payments",
                queryset=Payment.objects.select_related("beneficiary__organisation").order_by(
                    "value_date", "pk"
                ),
            ),
        )
        .get(pk=pk)
    )
    _attach_mentor_instalments(voucher)
    return voucher


def _attach_mentor_instalments(voucher: Voucher) -> None:
    """A milestone paid on the mentor's report keeps a deliverable of its own, still pending
    while the instalment is already due: the pages show both facts side by side, from the
    prefetched rows (no query)."""
    waiting: dict[int, list[Instalment]] = {}
    for instalment in voucher.instalments.all():
        if instalment.trigger == InstalmentTrigger.MENTOR_REPORT:
            waiting.setdefault(instalment.milestone_id, []).append(instalment)
    for deliverable in voucher.deliverables.all():
        deliverable.mentor_instalments = waiting.get(deliverable.milestone_id, [])


# Durations in months: days / average month length, rounded (a year of deliverables is 12).
DAYS_PER_MONTH = Decimal("30.4375")
PLANNED_PROJECT_MONTHS = int((PROJECT_DAYS / DAYS_PER_MONTH).to_integral_value())


def months_between(start: date | None, end: date | None) -> int | None:
    if start is None or end is None:
        return None
    return max(1, int((Decimal((end - start).days) / DAYS_PER_MONTH).to_integral_value()))


def project_dates(application: str = "pk") -> dict[str, Subquery]:
    """Annotations for rows whose `application` path is an application id: `project_start` (the
    voucher's signature by every beneficiary, else its drafting) and `project_end` (its last
    deliverable's due date); both None when the application has no voucher."""
    voucher = Voucher.objects.filter(application=OuterRef(application)).order_by()
    last_due = (
        Deliverable.objects.filter(voucher__application=OuterRef(application))
        .order_by()
        .values("voucher")
        .annotate(last=Max("due_date"))
        .values("last")[:1]
    )
    return {
        "project_start": Subquery(
            voucher.values(start=TruncDate(Coalesce("signed_at", "drafted_at")))[:1],
            output_field=DateField(),
        ),
        "project_end": Subquery(last_due, output_field=DateField()),
    }


def public_deliverables(application_ids: list[int]) -> dict[int, list[DeliverableVersion]]:
    """Per application id, the accepted file of each deliverable staff marked public (by due
    date), in one query. A version's `deliverable` is loaded; nothing about who uploaded it."""
    versions = (
        DeliverableVersion.objects.filter(
            outcome=DeliverableState.ACCEPTED,
            deliverable__state=DeliverableState.ACCEPTED,
            deliverable__public=True,
            deliverable__voucher__application_id__in=application_ids,
        )
        .select_related("deliverable__voucher")
        .only(
            "pk",
            "kind",
            "size",
            "sha256",
            "deliverable__title",
            "deliverable__due_date",
            "deliverable__accepted_at",
            "deliverable__voucher__application_id",
        )
        .order_by("deliverable__due_date", "deliverable_id", "-number")
    )
    result: dict[int, list[DeliverableVersion]] = {}
    for version in versions:
        result.setdefault(version.deliverable.voucher.application_id, []).append(version)
    return result


def public_deliverable_file(application_id: int, version_id: int) -> DeliverableVersion | None:
    """The accepted version `version_id` of a public deliverable of this application, else None."""
    return (
        DeliverableVersion.objects.filter(
            pk=version_id,
            outcome=DeliverableState.ACCEPTED,
            deliverable__state=DeliverableState.ACCEPTED,
            deliverable__public=True,
            deliverable__voucher__application_id=application_id,
        )
        .select_related("deliverable")
        .first()
    )
