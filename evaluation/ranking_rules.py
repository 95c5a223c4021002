"""The ranking of a call, as a pure reference on Decimals.

Input: each proposal's FINAL criterion scores as published (two decimals, see
:mod:`evaluation.scoring_rules`), the call's criteria (weight, maximum, threshold), its total
threshold and its tie-break chain. Output: the ordered ranking, each position saying why it is
there. DOMAIN.md "Evaluation" 3 and 5:

- a proposal passes when every criterion reaches its threshold and the (unweighted) total
  reaches the total threshold; weights count for ranking only;
- proposals that pass come first, by weighted total, highest first; those below a threshold
  follow in the same order, each with the thresholds it failed;
- equal weighted totals are ordered by the tie-break chain, by default: Impact, then
  Excellence (higher first), then geographic diversity, then earlier submission; the proposal id
  is the last resort so the order is always total and reproducible.

Geographic diversity ("countries not yet funded") counts, for each tied proposal, its countries
that no proposal placed above it in the ranking has; more is better. It depends on what is
placed above, so the tied proposals are placed one at a time: the best by the chain, given the
countries above, goes next. The database ordering of a later slice must agree with this module.
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import groupby
from typing import NamedTuple

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .scoring_rules import round_score

DEFAULT_TOTAL_THRESHOLD = Decimal(10)


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    weight: Decimal = Decimal(1)
    max_score: Decimal = Decimal(5)
    threshold: Decimal | None = Decimal(3)  # None: no threshold on this criterion
    label: str = ""


class TieBreakKind(enum.StrEnum):
    CRITERION = "criterion"  # the criterion's final score, higher first
    NEW_COUNTRIES = "new_countries"  # countries not yet placed above, more first
    SUBMITTED_AT = "submitted_at"  # earlier submission first


@dataclass(frozen=True)
class TieBreak:
    kind: TieBreakKind
    criterion: str | None = None

    @classmethod
    def parse(cls, text: str) -> TieBreak:
        """``"criterion:impact"``, ``"new_countries"`` or ``"submitted_at"`` (call settings)."""
        kind, _sep, code = text.partition(":")
        try:
            parsed = TieBreakKind(kind)
        except ValueError:
            raise ValueError(f"unknown tie-break step {text!r}") from None
        if (parsed is TieBreakKind.CRITERION) != bool(code):
            raise ValueError(f"tie-break step {text!r}: only criterion steps name a criterion")
        return cls(parsed, code or None)

    def __str__(self) -> str:
        return f"{self.kind}:{self.criterion}" if self.criterion else str(self.kind)


DEFAULT_TIE_BREAKS: tuple[TieBreak, ...] = (
    TieBreak(TieBreakKind.CRITERION, "impact"),
    TieBreak(TieBreakKind.CRITERION, "excellence"),
    TieBreak(TieBreakKind.NEW_COUNTRIES),
    TieBreak(TieBreakKind.SUBMITTED_AT),
)

#: ``RankedProposal.decided_by`` values besides a tie-break step's ``str()``.
DECIDED_BY_THRESHOLDS = "thresholds"  # the one above passed, this one did not
DECIDED_BY_WEIGHTED_TOTAL = "weighted_total"
DECIDED_BY_ID = "id"  # everything in the chain was equal


@dataclass(frozen=True)
class ProposalScores:
    id: int
    scores: Mapping[str, Decimal]  # final score per criterion code, as published (2 decimals)
    submitted_at: datetime
    countries: frozenset[str] = frozenset()
    reference: str = ""


@dataclass(frozen=True)
class FailedThreshold:
    criterion: str | None  # None: the total
    score: Decimal
    threshold: Decimal


@dataclass(frozen=True)
class RankedProposal:
    position: int  # 1-based place in the list, every proposal included
    rank: int | None  # 1-based among those that pass; None below a threshold
    id: int
    reference: str
    scores: Mapping[str, Decimal]
    total: Decimal
    weighted_total: Decimal
    passed: bool
    failed_thresholds: tuple[FailedThreshold, ...]
    #: What put it below the previous position: None for the first, DECIDED_BY_THRESHOLDS,
    #: DECIDED_BY_WEIGHTED_TOTAL, a tie-break step (``"criterion:impact"``, ``"new_countries"``,
    #: ``"submitted_at"``) or DECIDED_BY_ID.
    decided_by: str | None
    #: Its countries that no proposal above it has (what the diversity step counted).
    new_countries: tuple[str, ...] = field(default=())


class _Facts(NamedTuple):
    scores: dict[str, Decimal]
    total: Decimal
    weighted: Decimal
    failed: tuple[FailedThreshold, ...]


def _check(
    proposals: Sequence[ProposalScores],
    criteria: Sequence[CriterionSpec],
    tie_breaks: Sequence[TieBreak],
) -> None:
    codes = [c.code for c in criteria]
    if len(set(codes)) != len(codes):
        raise ValueError("duplicate criterion codes")
    steps = [str(step) for step in tie_breaks]
    if len(set(steps)) != len(steps):
        raise ValueError("a tie-break step appears twice")
    for step in tie_breaks:
        if step.kind is TieBreakKind.CRITERION and step.criterion not in codes:
            raise ValueError(f"tie-break step {step} names an unknown criterion")
    ids = [p.id for p in proposals]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate proposal ids")
    every_code = set(codes)
    published = set()  # the values found rounded: a call's finals take few distinct values
    for p in proposals:
        if p.scores.keys() != every_code:
            raise ValueError(f"proposal {p.id} must have a final score for every criterion")
        for code, score in p.scores.items():
            if score in published:
                continue
            if Decimal(score) != round_score(score):
                raise ValueError(f"proposal {p.id}: {code} is not a published (rounded) score")
            published.add(score)


def rank_proposals(
    proposals: Iterable[ProposalScores],
    *,
    criteria: Sequence[CriterionSpec],
    total_threshold: Decimal | None = DEFAULT_TOTAL_THRESHOLD,
    tie_breaks: Sequence[TieBreak | str] = DEFAULT_TIE_BREAKS,
) -> tuple[RankedProposal, ...]:
    """Order the proposals of a call and say why each position is where it is."""
    proposals = list(proposals)
    chain = [step if isinstance(step, TieBreak) else TieBreak.parse(step) for step in tie_breaks]
    _check(proposals, criteria, chain)

    facts: dict[int, _Facts] = {}
    for p in proposals:
        scores = {code: Decimal(s) for code, s in p.scores.items()}
        total = sum(scores.values(), Decimal(0))
        weighted = sum((c.weight * scores[c.code] for c in criteria), Decimal(0))
        failed = [
            FailedThreshold(c.code, scores[c.code], c.threshold)
            for c in criteria
            if c.threshold is not None and scores[c.code] < c.threshold
        ]
        if total_threshold is not None and total < total_threshold:
            failed.append(FailedThreshold(None, total, total_threshold))
        facts[p.id] = _Facts(scores, total, weighted, tuple(failed))

    def key(p: ProposalScores, above: frozenset[str] | set[str]) -> tuple:
        """Smaller is better, one element per step of the chain, then the id."""
        parts: list[object] = []
        for step in chain:
            if step.kind is TieBreakKind.CRITERION:
                parts.append(-facts[p.id].scores[step.criterion])
            elif step.kind is TieBreakKind.NEW_COUNTRIES:
                parts.append(-len(p.countries - above))
            else:
                parts.append(p.submitted_at)
        parts.append(p.id)
        return tuple(parts)

    def decider(previous: ProposalScores, current: ProposalScores, above: frozenset[str]) -> str:
        for step, a, b in zip(
            [*map(str, chain), DECIDED_BY_ID],
            key(previous, above),
            key(current, above),
            strict=True,
        ):
            if a != b:
                return step
        raise AssertionError("two proposals with the same id")  # pragma: no cover

    # Steps before the first diversity step do not depend on what is placed above: sorting by
    # them first leaves the one-at-a-time placement to the (small) blocks tied on all of them.
    dynamic_from = next(
        (i for i, step in enumerate(chain) if step.kind is TieBreakKind.NEW_COUNTRIES), None
    )

    def static_prefix(p: ProposalScores) -> tuple:
        full = key(p, frozenset())
        return full if dynamic_from is None else full[:dynamic_from]

    prefixes = {p.id: static_prefix(p) for p in proposals}  # computed once, read twice
    ordered = sorted(
        proposals,
        key=lambda p: (bool(facts[p.id].failed), -facts[p.id].weighted, prefixes[p.id]),
    )
    above: set[str] = set()
    previous: tuple[ProposalScores, frozenset[str]] | None = None
    ranking: list[RankedProposal] = []
    rank = 0
    for _group, group in groupby(
        ordered, key=lambda p: (bool(facts[p.id].failed), facts[p.id].weighted)
    ):
        first_of_group = True
        for _block, block in groupby(group, key=lambda p: prefixes[p.id]):
            for best in _placed(list(block), key, above):
                failed = facts[best.id].failed
                if previous is None:
                    decided_by = None
                elif not first_of_group:
                    decided_by = decider(previous[0], best, previous[1])
                elif bool(facts[previous[0].id].failed) != bool(failed):
                    decided_by = DECIDED_BY_THRESHOLDS
                else:
                    decided_by = DECIDED_BY_WEIGHTED_TOTAL
                first_of_group = False
                rank += 0 if failed else 1
                ranking.append(
                    RankedProposal(
                        position=len(ranking) + 1,
                        rank=None if failed else rank,
                        id=best.id,
                        reference=best.reference or str(best.id),
                        scores=facts[best.id].scores,
                        total=facts[best.id].total,
                        weighted_total=facts[best.id].weighted,
                        passed=not failed,
                        failed_thresholds=failed,
                        decided_by=decided_by,
                        new_countries=tuple(sorted(best.countries - above)),
                    )
                )
                previous = (best, frozenset(above))
                above |= best.countries
    return tuple(ranking)


def _placed(
    members: list[ProposalScores], key: Callable[[ProposalScores, set[str]], tuple], above: set[str]
) -> Iterator[ProposalScores]:
    """The members of a block in the order they are placed, each the best by `key` given the
    countries placed `above` when it is asked for (the caller grows that set in place before
    asking for the next).

    Lazy greedy: a key only grows as countries are placed above (fewer new ones), so a popped
    key still equal to its recomputed value is the smallest of all. A block of one (most of
    them) is placed as it is.
    """
    if len(members) == 1:
        yield members[0]
        return
    heap = [(key(p, above), i) for i, p in enumerate(members)]
    heapq.heapify(heap)
    while heap:
        stored, i = heapq.heappop(heap)
        current = key(members[i], above)
        if current != stored:
            heapq.heappush(heap, (current, i))
            continue
        yield members[i]


_FIXED_LABELS = {
    DECIDED_BY_THRESHOLDS: _("thresholds (the one above passes them)"),
    DECIDED_BY_WEIGHTED_TOTAL: _("weighted total"),
    DECIDED_BY_ID: _("application number (everything else equal)"),
    str(TieBreakKind.NEW_COUNTRIES): _("countries not yet funded higher up"),
    str(TieBreakKind.SUBMITTED_AT): _("earlier submission"),
}


def describe_decided_by(decided_by: str | None, criteria: Sequence[CriterionSpec]) -> str:
    """Human label of ``RankedProposal.decided_by`` for the ranking page and the minutes."""
    if decided_by is None:
        return gettext("first place")
    if decided_by in _FIXED_LABELS:
        return str(_FIXED_LABELS[decided_by])
    step = TieBreak.parse(decided_by)
    label = next((c.label or c.code for c in criteria if c.code == step.criterion), step.criterion)
    return gettext("tie-break on %(criterion)s") % {"criterion": label}
