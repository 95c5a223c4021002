"""The ranking of a call as its pages, API and CSV read it: computed once per change, cached.

`call_ranking` (evaluation.results) computes the whole ranking from the database. The page,
the API and the CSV read it through `StoredRanking`: the ranking is computed once per version
of the call's results (`calls.results_cache`: every change of a score, an assignment, a
consensus step, an application's state or the call's rules replaces it) and cached as a
summary plus pages of `RANKING_PAGE_SIZE` plain rows, so a request unpickles one page, not the
whole call. Once the committee adopted its decision, the stored ranking is the decision's
(frozen). The services (opening a decision session) never read this cache: they compute the
ranking inside their own transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from calls.models import ApplicationState, Call
from calls.results_cache import results_cache
from evaluation.models import DecisionSession, DecisionState
from evaluation.ranking_rules import CriterionSpec, FailedThreshold
from evaluation.results import NO_CRITERIA, call_ranking, criteria_specs
from minegap.core.cache import CacheUnavailable
from minegap.core.gc_pause import collection_paused

RANKING_PAGE_SIZE = 100
_SUMMARY = "ranking:summary"


@dataclass(frozen=True)
class RankingLine:
    """One ranked application, as the page, the API and the CSV show it."""

    application_id: int
    reference: str
    position: int
    rank: int | None
    scores: tuple[Decimal, ...]  # final scores, in the order of `RankingSummary.criteria`
    total: Decimal
    weighted_total: Decimal
    passed: bool
    failed_thresholds: tuple[FailedThreshold, ...]
    decided_by: str | None
    proposed_outcome: str  # "fund", "reserve", "reject"
    requested: Decimal
    cumulative_requested: Decimal | None
    #: False on a frozen ranking whose application the live scores no longer place as the
    #: decision did (changed behind the services' back): its scores and "why" are unknown.
    details: bool = True


@dataclass(frozen=True)
class RankingSummary:
    count: int  # ranked applications
    criteria: tuple[CriterionSpec, ...]
    #: References of the applications still in evaluation (scores missing, divergence open).
    pending: tuple[str, ...]
    #: References of ranked applications not yet marked as evaluated.
    not_evaluated: tuple[str, ...]
    #: Why the ranking cannot be computed, or None: NO_CRITERIA, or the step of the call's
    #: tie-break chain that is invalid (`ranking_error_text` words either for people).
    error: str | None = None
    #: When the committee adopted the decision this ranking is read from (frozen), or None.
    adopted_at: datetime | None = None


def ranking_error_text(error: str) -> str:
    """`RankingSummary.error` as people read it, in the current language."""
    if error == NO_CRITERIA:
        return _("This call has no evaluation criteria: nothing is scored, so it has no ranking.")
    return _("The call's tie-break chain is invalid: %(e)s") % {"e": error}


def _page_name(index: int) -> str:
    return f"ranking:page:{index}"


def _pages(summary: RankingSummary, lines: list[RankingLine]) -> dict[str, object]:
    parts: dict[str, object] = {_SUMMARY: summary, _page_name(0): ()}
    for start in range(0, len(lines), RANKING_PAGE_SIZE):
        parts[_page_name(start // RANKING_PAGE_SIZE)] = tuple(
            lines[start : start + RANKING_PAGE_SIZE]
        )
    return parts


def _frozen(call: Call, session: DecisionSession, criteria: tuple[CriterionSpec, ...]) -> dict:
    """The ranking as the committee adopted it: its entries' order, totals and outcomes. The
    scores and reasons come from the live ranking where it still places the application as
    the decision did (always, unless scores were changed behind the services' back)."""
    try:
        live = {row.ranked.id: row for row in call_ranking(call)[0]}
    except ValueError:
        live = {}
    lines, rank = [], 0
    for entry in session.entries.order_by("rank", "pk").values(
        "application_id",
        "application__reference",
        "rank",
        "total",
        "weighted_total",
        "passed",
        "amount",
        "outcome",
    ):
        row = live.get(entry["application_id"])
        same = (
            row is not None
            and row.ranked.total == entry["total"]
            and row.ranked.weighted_total.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
            == entry["weighted_total"]
        )
        rank += 1 if entry["passed"] else 0
        lines.append(
            RankingLine(
                application_id=entry["application_id"],
                reference=entry["application__reference"] or "",
                position=entry["rank"],
                rank=rank if entry["passed"] else None,
                scores=tuple(row.ranked.scores[c.code] if same else None for c in criteria),
                total=entry["total"],
                weighted_total=entry["weighted_total"],
                passed=entry["passed"],
                failed_thresholds=row.ranked.failed_thresholds if same else (),
                decided_by=row.ranked.decided_by if same else None,
                proposed_outcome=entry["outcome"],
                requested=entry["amount"],
                cumulative_requested=None,
                details=same,
            )
        )
    summary = RankingSummary(len(lines), criteria, (), (), adopted_at=session.closed_at)
    return _pages(summary, lines)


def _build(call: Call) -> dict[str, object]:
    """Every part of the cached ranking: the summary and each page (at least one)."""
    criteria = tuple(criteria_specs(call))
    adopted = (
        DecisionSession.objects.filter(call=call, state=DecisionState.ADOPTED)
        .order_by("-closed_at", "-pk")
        .first()
    )
    if adopted is not None:
        return _frozen(call, adopted, criteria)
    try:
        rows, pending = call_ranking(call)
    except ValueError as error:
        return _pages(RankingSummary(0, criteria, (), (), error=str(error)), [])
    lines = [
        RankingLine(
            application_id=row.ranked.id,
            reference=row.ranked.reference,
            position=row.ranked.position,
            rank=row.ranked.rank,
            scores=tuple(row.ranked.scores[c.code] for c in criteria),
            total=row.ranked.total,
            weighted_total=row.ranked.weighted_total,
            passed=row.ranked.passed,
            failed_thresholds=row.ranked.failed_thresholds,
            decided_by=row.ranked.decided_by,
            proposed_outcome=row.proposed_outcome,
            requested=row.result.requested,
            cumulative_requested=row.cumulative_requested,
        )
        for row in rows
    ]
    summary = RankingSummary(
        count=len(lines),
        criteria=criteria,
        pending=tuple(p.reference or str(p.application_id) for p in pending),
        not_evaluated=tuple(
            row.result.reference for row in rows if row.result.state != ApplicationState.EVALUATED
        ),
    )
    return _pages(summary, lines)


class StoredRanking(Sequence):
    """The cached ranking of `call` as a sequence of `RankingLine` (for a `Paginator`): its
    length is the summary's count, and a slice reads only the cached pages it covers."""

    def __init__(self, call: Call) -> None:
        self.call = call
        self.cache = results_cache(call.pk)

    @cached_property
    def version(self) -> str:
        """The version of the call's results, for what is cached beside the ranking (the page's
        rendered rows); a fresh one, never found, when the cache does not answer."""
        try:
            return self.cache.version()
        except CacheUnavailable:
            return uuid.uuid4().hex

    def _parts(self, names: list[str]) -> dict:
        """The cached parts `names` (the summary, pages): built together when one is missing.
        Every part is read under the one version this object read first (one round trip less
        a part, and a summary and pages that always belong together)."""
        return self.cache.cached_parts(names, self._build, version=self.version)

    def _build(self) -> dict[str, object]:
        with collection_paused():  # thousands of short-lived rows (minegap.core.gc_pause)
            return _build(self.call)

    @cached_property
    def summary(self) -> RankingSummary:
        return self._parts([_SUMMARY])[_SUMMARY]

    def kept(self, name: str) -> Any:
        """What was kept as `name` beside this version of the ranking (None when nothing was)."""
        return self.cache.found_parts([name], version=self.version).get(name)

    def keep(self, name: str, value: Any) -> None:
        """Keep `value` (drawn from this version of the ranking) beside it as `name`."""
        self.cache.keep_parts({name: value}, version=self.version)

    def __len__(self) -> int:
        return self.summary.count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0] if index >= 0 else list(self)[index]
        start, stop, step = index.indices(len(self))
        if step != 1:
            return list(self)[index]
        if start >= stop:
            return []
        first, last = start // RANKING_PAGE_SIZE, (stop - 1) // RANKING_PAGE_SIZE
        names = [_page_name(i) for i in range(first, last + 1)]
        parts = self._parts(names)
        lines = [line for name in names for line in parts[name]]
        offset = first * RANKING_PAGE_SIZE
        return lines[start - offset : stop - offset]

    def __iter__(self) -> Iterator[RankingLine]:
        pages = (len(self) + RANKING_PAGE_SIZE - 1) // RANKING_PAGE_SIZE
        for index in range(pages):
            yield from self._parts([_page_name(index)])[_page_name(index)]
