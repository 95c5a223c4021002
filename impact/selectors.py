"""Reads of the impact app: the beneficiaries a call's indicators are asked of, their stages'
windows and reports, and the indicators themselves."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import User
from calls.models import Call
from impact import schedule
from impact.models import STAGE_FIELDS, ImpactReport, Indicator, ReportedValue, ReportingStage
from vouchers.models import BeneficiaryShare, Deliverable, DeliverableState, VoucherState


def indicators_of(call: Call | int, stage: str | None = None) -> QuerySet[Indicator]:
    indicators = Indicator.objects.filter(call=call).order_by("order", "pk")
    if stage is not None:
        indicators = indicators.filter(**{STAGE_FIELDS[ReportingStage(stage)]: True})
    return indicators


def asked_stages(call: Call | int) -> list[str]:
    """The stages at least one of the call's indicators is asked at, in the order of time."""
    indicators = list(indicators_of(call))
    return [s for s in ReportingStage.values if any(i.asked_at(s) for i in indicators)]


def reporting_shares() -> QuerySet[BeneficiaryShare]:
    """Every beneficiary share that reports: signed, with what its windows need annotated."""
    final_accepted = (
        Deliverable.objects.filter(
            voucher=OuterRef("voucher"), is_final=True, state=DeliverableState.ACCEPTED
        )
        .order_by()
        .values("accepted_at")[:1]
    )
    return (
        BeneficiaryShare.objects.filter(signed_at__isnull=False)
        .select_related("organisation", "voucher__call")
        .annotate(
            final_accepted_at=Subquery(final_accepted, output_field=DateTimeField()),
            completed_at=Case(
                When(voucher__state=VoucherState.COMPLETED, then=F("voucher__closed_at")),
                default=Value(None),
                output_field=DateTimeField(),
            ),
            voucher_state=F("voucher__state"),
        )
        .order_by("voucher__agreement_number", "organisation__legal_name", "pk")
    )


def window_of(share: BeneficiaryShare, stage: str) -> schedule.Window:
    """`share` as `reporting_shares` annotates it."""
    return schedule.window(
        stage,
        tz=share.voucher.call.tz,
        signed_at=share.signed_at,
        ended_at=schedule.project_end(
            completed_at=share.completed_at, final_accepted_at=share.final_accepted_at
        ),
        terminated=share.voucher_state == VoucherState.TERMINATED,
    )


def next_clock_change() -> datetime | None:
    """The next moment a beneficiary's reporting stage opens by the clock alone (the follow-up,
    a year after the project's end, at midnight in the call's time zone): the public impact
    figures then count it among those asked, with no record changing. Only projects that ended
    within the last year (and a little) can still have such a moment ahead. Plain rows, not
    model instances: the page cache asks this at every page it stores."""
    now = timezone.now()
    horizon = now - timedelta(days=schedule.FOLLOW_UP_AFTER_DAYS + 2)
    rows = (
        reporting_shares()
        .filter(
            Q(final_accepted_at__gte=horizon) | Q(completed_at__gte=horizon),
            Exists(Indicator.objects.filter(call=OuterRef("voucher__call"))),
        )
        .order_by()
        .values_list(
            "voucher__call__time_zone",
            "signed_at",
            "final_accepted_at",
            "completed_at",
            "voucher_state",
        )
    )
    moments = []
    for zone, signed_at, final_accepted_at, completed_at, state in rows:
        tz = ZoneInfo(zone)
        ended_at = schedule.project_end(
            completed_at=completed_at, final_accepted_at=final_accepted_at
        )
        for stage in ReportingStage.values:
            opens = schedule.window(
                stage,
                tz=tz,
                signed_at=signed_at,
                ended_at=ended_at,
                terminated=state == VoucherState.TERMINATED,
            ).opens
            if opens is not None:
                moments.append(datetime.combine(opens, time.min, tzinfo=tz))
    return min((moment for moment in moments if moment > now), default=None)


def current_reports(shares: list[BeneficiaryShare]) -> dict[tuple[int, str], ImpactReport]:
    reports = ImpactReport.objects.filter(
        share__in=[s.pk for s in shares], reopened_at__isnull=True
    ).select_related("submitted_by")
    return {(r.share_id, r.stage): r for r in reports}


class StageStatus:
    SUBMITTED = "submitted"
    LATE = "late"
    DUE = "due"
    NOT_OPEN = "not_open"


@dataclass
class StageCell:
    stage: str
    window: schedule.Window
    report: ImpactReport | None
    status: str

    @property
    def label(self) -> str:
        return ReportingStage(self.stage).label


@dataclass
class BeneficiaryRow:
    share: BeneficiaryShare
    cells: list[StageCell] = field(default_factory=list)

    @property
    def late(self) -> bool:
        return any(c.status == StageStatus.LATE for c in self.cells)


def _status(window: schedule.Window, report: ImpactReport | None, today: date) -> str:
    if report is not None:
        return StageStatus.SUBMITTED
    if not window.is_open(today):
        return StageStatus.NOT_OPEN
    return StageStatus.LATE if window.is_late(today) else StageStatus.DUE


def rows_for(
    shares: list[BeneficiaryShare], stages: list[str], today: date
) -> list[BeneficiaryRow]:
    """Each share (from `reporting_shares`) with each stage's window, report and status."""
    reports = current_reports(shares)
    rows = []
    for share in shares:
        row = BeneficiaryRow(share)
        for stage in stages:
            window = window_of(share, stage)
            report = reports.get((share.pk, stage))
            row.cells.append(StageCell(stage, window, report, _status(window, report, today)))
        rows.append(row)
    return rows


def call_shares(call: Call) -> QuerySet[BeneficiaryShare]:
    return reporting_shares().filter(voucher__call=call)


def completion(rows: list[BeneficiaryRow], stages: list[str]) -> list[dict]:
    """Per stage: how many submitted, are late, are due, out of those whose stage opened."""
    summary = []
    for index, stage in enumerate(stages):
        cells = [row.cells[index] for row in rows]
        summary.append(
            {
                "stage": stage,
                "label": ReportingStage(stage).label,
                "submitted": sum(c.status == StageStatus.SUBMITTED for c in cells),
                "late": sum(c.status == StageStatus.LATE for c in cells),
                "due": sum(c.status == StageStatus.DUE for c in cells),
                "opened": sum(c.status != StageStatus.NOT_OPEN for c in cells),
            }
        )
    return summary


def shares_of_member(user: User) -> QuerySet[BeneficiaryShare]:
    """The shares the person may report for: their organisations', in calls with indicators."""
    return reporting_shares().filter(
        Exists(Indicator.objects.filter(call=OuterRef("voucher__call"))),
        organisation__memberships__user=user,
    )


def member_rows(user: User) -> list[BeneficiaryRow]:
    """The person's organisations' shares with each asked stage's status (a query per call)."""
    by_call: dict[int, list[BeneficiaryShare]] = {}
    for share in shares_of_member(user).distinct():
        by_call.setdefault(share.voucher.call_id, []).append(share)
    rows = []
    for shares in by_call.values():
        call = shares[0].voucher.call
        today = timezone.now().astimezone(call.tz).date()
        rows.extend(rows_for(shares, asked_stages(call), today))
    return rows


def share_of_member(user: User, pk: int) -> BeneficiaryShare | None:
    return shares_of_member(user).filter(pk=pk).first()


def report_history(share: BeneficiaryShare, stage: str) -> QuerySet[ImpactReport]:
    values = ReportedValue.objects.select_related("indicator").order_by(
        "indicator__order", "indicator_id"
    )
    return (
        ImpactReport.objects.filter(share=share, stage=stage)
        .select_related("submitted_by", "reopened_by")
        .prefetch_related(Prefetch("values", queryset=values))
        .order_by("-version")
    )
