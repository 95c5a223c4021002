"""Scoring rules on Decimals: score validation, divergence, final criterion scores.

Pure functions (no models): the scoring services validate with them, the consensus step asks
:func:`check_divergence`, and the ranking reads :func:`final_scores`. DOMAIN.md "Evaluation":
scores per criterion from 0 to the criterion's maximum in half points, each with a written
justification; divergence when totals differ by more than 30 % of the higher total, or a
criterion by more than 2 points; final score = consensus if any, else the evaluators' mean, or
the call's rule (two closest, median) when an additional evaluator settled a divergence;
rounded to two decimals half up (the published value everything else uses).
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import pairwise
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HALF = Decimal("0.5")
TENTH = Decimal("0.1")
CENT = Decimal("0.01")
DEFAULT_MIN_JUSTIFICATION = 50  # characters, once surrounding whitespace is stripped


def validate_score(value: Decimal | int | str, *, max_score: Decimal | int) -> Decimal:
    """Return the score as a Decimal, or raise ValidationError (0..max, half points only).

    Floats are refused: they cannot say 2.5 exactly enough to be trusted with a grant.
    """
    if isinstance(value, float | bool):
        raise ValidationError(_("A score must be a decimal number."), code="type")
    try:
        score = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("A score must be a number."), code="invalid") from None
    if not score.is_finite():
        raise ValidationError(_("A score must be a number."), code="invalid")
    maximum = Decimal(max_score)
    if score < 0 or score > maximum:
        raise ValidationError(
            _("A score must be between 0 and %(max)s."),
            code="range",
            params={"max": format(maximum.normalize(), "f")},
        )
    if score % HALF != 0:
        raise ValidationError(_("Scores go in half points (e.g. 3 or 3.5)."), code="half_points")
    return score.quantize(TENTH)  # exact: a multiple of 0.5, stored with one decimal


def validate_justification(text: str, *, min_length: int = DEFAULT_MIN_JUSTIFICATION) -> str:
    """Return the stripped justification, or raise ValidationError if it is too short."""
    cleaned = (text or "").strip()
    if len(cleaned) < min_length:
        raise ValidationError(
            _("Explain the score in at least %(min)d characters (%(count)d written so far)."),
            code="too_short",
            params={"min": min_length, "count": len(cleaned)},
        )
    return cleaned


# --- divergence -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DivergenceRule:
    """When two evaluators disagree enough to need a consensus step (per-call settings).

    Divergent when the highest and lowest totals differ by MORE than ``total_ratio`` of the
    highest total, or the highest and lowest scores of one criterion differ by MORE than
    ``criterion_gap`` points. ``None`` turns a test off.
    """

    total_ratio: Decimal | None = Decimal("0.30")
    criterion_gap: Decimal | None = Decimal("2")


@dataclass(frozen=True)
class DivergenceReason:
    criterion: str | None  # None: the totals
    low: Decimal
    high: Decimal
    gap: Decimal  # high - low
    limit: Decimal  # the gap allowed


@dataclass(frozen=True)
class Divergence:
    divergent: bool
    reasons: tuple[DivergenceReason, ...]


#: The answer for sheets that agree: most applications' answer, made once.
AGREEMENT = Divergence(divergent=False, reasons=())


def check_divergence(
    scores: Mapping[Hashable, Mapping[str, Decimal]],
    *,
    rule: DivergenceRule = DivergenceRule(),
) -> Divergence:
    """Compare the submitted scores of one application.

    ``scores`` maps each evaluator (any key) to their Decimal scores by criterion code; every
    evaluator must have scored the same criteria. Fewer than two evaluators never diverge.
    Reasons come criterion by criterion in code order, then the totals.

    A whole ranking asks this of every application (issue #15), and most agree: each test
    compares the sheets' own values, a reason is built only for a test that fails, and sheets
    that agree get the one shared `AGREEMENT`.
    """
    sheets = list(scores.values())
    if len(sheets) < 2:
        return AGREEMENT
    criteria = sheets[0].keys()
    for sheet in sheets:
        if sheet.keys() != criteria:
            raise ValueError("every evaluator must have scored the same criteria")
    reasons: list[DivergenceReason] = []
    gap_allowed = rule.criterion_gap
    if gap_allowed is not None:
        for code in criteria:
            column = [sheet[code] for sheet in sheets]
            low, high = min(column), max(column)
            if high - low > gap_allowed:
                low, high = Decimal(low), Decimal(high)
                reasons.append(DivergenceReason(code, low, high, high - low, gap_allowed))
        if len(reasons) > 1:
            reasons.sort(key=attrgetter("criterion"))  # in code order (each code once)
    if rule.total_ratio is not None:
        totals = [sum(sheet.values(), Decimal(0)) for sheet in sheets]
        low, high = min(totals), max(totals)
        limit = high * rule.total_ratio
        if high - low > limit:
            reasons.append(DivergenceReason(None, low, high, high - low, limit))
    if not reasons:
        return AGREEMENT
    return Divergence(divergent=True, reasons=tuple(reasons))


# --- final scores -----------------------------------------------------------------------------


def round_score(value: Decimal) -> Decimal:
    """Two decimals, half up: the published value."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class FinalScoreRule(enum.StrEnum):
    """How the evaluators' scores of one criterion make its final score (without consensus)."""

    MEAN = "mean"  # every evaluation without a divergence, and the default
    #: After an additional evaluator settled a divergence (the call's choice):
    TWO_CLOSEST = "two_closest"  # the mean of the two closest scores; several pairs as close:
    #                              the median (3, 4, 5 -> 4), so the order never matters
    MEDIAN = "median"  # the middle score; with an even count, the mean of the middle two


def _mean(values: Sequence[Decimal]) -> Decimal:
    # The values have at most one decimal (half points), so sum / count at 28 digits rounds
    # exactly like the true fraction: no half-cent tie can be hidden beyond the 28th digit.
    return sum(values, Decimal(0)) / len(values)


def _median(ordered: Sequence[Decimal]) -> Decimal:
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else _mean(ordered[middle - 1 : middle + 1])


def _two_closest(ordered: Sequence[Decimal]) -> Decimal:
    if len(ordered) < 2:
        return _median(ordered)
    gaps = [(b - a, i) for i, (a, b) in enumerate(pairwise(ordered))]
    closest = min(gap for gap, _i in gaps)
    pairs = [i for gap, i in gaps if gap == closest]
    if len(pairs) > 1:
        return _median(ordered)
    return _mean(ordered[pairs[0] : pairs[0] + 2])


def final_criterion_score(
    evaluator_scores: Sequence[Decimal],
    *,
    consensus: Decimal | None = None,
    rule: FinalScoreRule = FinalScoreRule.MEAN,
) -> Decimal:
    """The consensus score when there is one, else the evaluators' scores by ``rule`` (their
    mean unless told otherwise); two decimals half up.

    Computed exactly (a mean as sum / count) and rounded once, so three scores of 4, 4.5 and
    4.5 give 4.33 however they are ordered.
    """
    if consensus is not None:
        return round_score(consensus)
    if not evaluator_scores:
        raise ValueError("no scores to average")
    ordered = sorted(Decimal(s) for s in evaluator_scores)
    if rule is FinalScoreRule.MEDIAN:
        return round_score(_median(ordered))
    if rule is FinalScoreRule.TWO_CLOSEST:
        return round_score(_two_closest(ordered))
    return round_score(_mean(ordered))


def final_scores(
    scores: Mapping[Hashable, Mapping[str, Decimal]],
    *,
    consensus: Mapping[str, Decimal] | None = None,
    rule: FinalScoreRule = FinalScoreRule.MEAN,
) -> dict[str, Decimal]:
    """Final score per criterion of one application (see :func:`final_criterion_score`).

    ``consensus`` holds the agreed score per criterion when a consensus step concluded; a
    consensus covers every criterion it names, the others follow ``rule``.
    """
    consensus = consensus or {}
    criteria = sorted({code for sheet in scores.values() for code in sheet} | set(consensus))
    return {
        code: final_criterion_score(
            [sheet[code] for sheet in scores.values() if code in sheet],
            consensus=consensus.get(code),
            rule=rule,
        )
        for code in criteria
    }
