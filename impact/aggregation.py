"""The programme's impact in figures, only from reported values, always with how many reported.

An indicator of the programme is a preset (added up across the calls that ask it) or one call's
own indicator. For a group of beneficiaries (all, one call, one country, one value-chain
stage...) and a stage, a figure is: how many beneficiaries reported (`reported`) of those whose
stage has opened and whose call asks it (`beneficiaries`), the sum and median (numbers, money)
or how many answered yes (yes/no). "Before and after" compares, for the beneficiaries that
reported both, their baseline with their final report.

Free-text answers are never aggregated, and a group with fewer than `MIN_REPORTS` reports shows
its counts only: with one or two reports a sum would give away one organisation's figures.
"""

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from impact import presets, selectors
from impact.models import ImpactReport, Indicator, IndicatorKind, ReportedValue, ReportingStage

MIN_REPORTS = 3
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Beneficiary:
    share_id: int
    call_id: int
    organisation_id: int
    country: str
    opened: frozenset[str]


@dataclass
class ProgrammeIndicator:
    key: str
    name: str
    unit: str
    kind: str
    by_call: dict[int, Indicator] = field(default_factory=dict)

    @property
    def stages(self) -> list[str]:
        return [
            s for s in ReportingStage.values if any(i.asked_at(s) for i in self.by_call.values())
        ]


@dataclass(frozen=True)
class Figure:
    stage: str
    reported: int
    beneficiaries: int
    total: Decimal | None = None
    median: Decimal | None = None
    yes: int | None = None
    suppressed: bool = False

    @property
    def stage_label(self) -> str:
        return str(ReportingStage(self.stage).label)


@dataclass(frozen=True)
class Change:
    pairs: int
    baseline_total: Decimal | None = None
    final_total: Decimal | None = None
    percent: Decimal | None = None
    suppressed: bool = False


@dataclass
class GroupFigures:
    group: str
    figures: list[Figure]
    change: Change | None


def programme_indicators() -> list[ProgrammeIndicator]:
    """Every published-kind indicator, presets merged across calls, in the presets' order then
    the calls' own indicators by call and order."""
    merged: dict[str, ProgrammeIndicator] = {}
    own: list[ProgrammeIndicator] = []
    for indicator in Indicator.objects.filter(kind__in=IndicatorKind.published()).order_by(
        "call_id", "order", "pk"
    ):
        if indicator.preset in presets.BY_KEY:
            preset = presets.BY_KEY[indicator.preset]
            entry = merged.setdefault(
                preset.key,
                ProgrammeIndicator(preset.key, str(preset.name), str(preset.unit), preset.kind),
            )
            entry.by_call[indicator.call_id] = indicator
        else:
            own.append(
                ProgrammeIndicator(
                    f"indicator-{indicator.pk}",
                    indicator.name,
                    indicator.unit,
                    indicator.kind,
                    {indicator.call_id: indicator},
                )
            )
    ordered = [merged[p.key] for p in presets.PRESETS if p.key in merged]
    return ordered + own


def beneficiaries(now=None, *, call_id: int | None = None) -> list[Beneficiary]:
    """Every signed beneficiary of a call with indicators (of call `call_id` only, if given),
    with the stages opened for it today (the call's time zone)."""
    now = now or timezone.now()
    shares = selectors.reporting_shares().filter(
        Exists(Indicator.objects.filter(call=OuterRef("voucher__call")))
    )
    if call_id is not None:
        shares = shares.filter(voucher__call_id=call_id)
    result = []
    for share in shares:
        today: date = now.astimezone(share.voucher.call.tz).date()
        opened = frozenset(
            s for s in ReportingStage.values if selectors.window_of(share, s).is_open(today)
        )
        result.append(
            Beneficiary(
                share.pk,
                share.voucher.call_id,
                share.organisation_id,
                share.organisation.country,
                opened,
            )
        )
    return result


def reported_values(*, call_id: int | None = None) -> dict[tuple[int, int, str], Decimal | bool]:
    """(indicator id, share id, stage) -> the value of the current report, published kinds only
    (of call `call_id` only, if given)."""
    rows = ReportedValue.objects.filter(
        report__reopened_at__isnull=True, indicator__kind__in=IndicatorKind.published()
    )
    if call_id is not None:
        rows = rows.filter(indicator__call_id=call_id)
    rows = rows.values_list("indicator_id", "report__share_id", "report__stage", "number", "flag")
    values: dict[tuple[int, int, str], Decimal | bool] = {}
    for indicator_id, share_id, stage, number, flag in rows:
        value = flag if number is None else number
        if value is not None:
            values[(indicator_id, share_id, stage)] = value
    return values


def _figure(stage: str, kind: str, members: int, found: list, minimum: int) -> Figure:
    reported = len(found)
    if not reported or reported < minimum:
        return Figure(stage, reported, members, suppressed=bool(reported))
    if kind == IndicatorKind.YES_NO:
        return Figure(stage, reported, members, yes=sum(1 for v in found if v is True))
    total = sum(found, Decimal(0)).quantize(CENT)
    median = Decimal(statistics.median(found)).quantize(CENT)
    return Figure(stage, reported, members, total=total, median=median)


def _change(pairs: list[tuple[Decimal, Decimal]], minimum: int) -> Change:
    if not pairs or len(pairs) < minimum:
        return Change(len(pairs), suppressed=bool(pairs))
    before = sum((b for b, _a in pairs), Decimal(0)).quantize(CENT)
    after = sum((a for _b, a in pairs), Decimal(0)).quantize(CENT)
    percent = ((after - before) * 100 / before).quantize(Decimal("0.1")) if before else None
    return Change(len(pairs), before, after, percent)


def group_figures(
    indicator: ProgrammeIndicator,
    people: Iterable[Beneficiary],
    values: dict[tuple[int, int, str], Decimal | bool],
    groups: Callable[[Beneficiary], Iterable[str]],
    *,
    minimum: int = MIN_REPORTS,
) -> list[GroupFigures]:
    """`indicator`'s figures per group (`groups` names the groups a beneficiary is in), in the
    order the groups first appear."""
    stages = indicator.stages
    members: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    found: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    pairs: dict[str, list] = defaultdict(list)
    for person in people:
        asked = indicator.by_call.get(person.call_id)
        if asked is None:
            continue
        mine = {}
        for stage in stages:
            if asked.asked_at(stage) and stage in person.opened:
                mine[stage] = values.get((asked.pk, person.share_id, stage))
        if not mine:
            continue
        for group in groups(person):
            for stage, value in mine.items():
                members[group][stage] += 1
                if value is not None:
                    found[group][stage].append(value)
            before, after = mine.get(ReportingStage.BASELINE), mine.get(ReportingStage.FINAL)
            if isinstance(before, Decimal) and isinstance(after, Decimal):
                pairs[group].append((before, after))
    comparable = indicator.kind in IndicatorKind.numeric() and {
        ReportingStage.BASELINE,
        ReportingStage.FINAL,
    } <= set(stages)
    return [
        GroupFigures(
            group,
            [
                _figure(stage, indicator.kind, members[group][stage], found[group][stage], minimum)
                for stage in stages
            ],
            _change(pairs[group], minimum) if comparable else None,
        )
        for group in members
    ]


def nobody(indicator: ProgrammeIndicator) -> GroupFigures:
    """The figures of a group nobody was asked in yet."""
    return GroupFigures("", [Figure(stage, 0, 0) for stage in indicator.stages], None)


def reports_per_stage() -> dict[str, int]:
    """How many current reports each stage received (every call)."""
    rows = (
        ImpactReport.objects.filter(reopened_at__isnull=True)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    return dict(rows)
