"""Reads of the results of a call's evaluation: sheets, divergence, final scores, ranking.

Everything is loaded in a fixed number of queries per call (the scores are summed and counted
per application and criterion in the database); the pure rules of `scoring_rules` and
`ranking_rules` then decide divergence, final scores and the order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count

from calls.models import Application, ApplicationState, Call
from calls.records import submitted_consortia
from evaluation.models import (
    Assignment,
    AssignmentState,
    Consensus,
    ConsensusState,
    Score,
)
from evaluation.ranking_rules import (
    CriterionSpec,
    ProposalScores,
    RankedProposal,
    TieBreak,
    TieBreakKind,
    rank_proposals,
)
from evaluation.scoring_rules import (
    Divergence,
    DivergenceRule,
    FinalScoreRule,
    check_divergence,
    final_scores,
    round_score,
)
from minegap.core.gc_pause import collection_paused

#: Applications whose evaluation results are read (under evaluation and every later state).
RESULT_STATES = (
    ApplicationState.UNDER_EVALUATION,
    ApplicationState.EVALUATED,
    ApplicationState.SELECTED,
    ApplicationState.RESERVE,
    ApplicationState.REJECTED,
    ApplicationState.FUNDED,
)
#: Call settings' names of the tie-break steps -> the reference ranking's steps.
_STEP_NAMES = {
    "geographic_diversity": TieBreakKind.NEW_COUNTRIES,
    "new_countries": TieBreakKind.NEW_COUNTRIES,
    "submitted_at": TieBreakKind.SUBMITTED_AT,
}


def criterion_code(name: str) -> str:
    return name.strip().lower()


def criteria_specs(call: Call) -> list[CriterionSpec]:
    return [
        CriterionSpec(
            code=criterion_code(c.name),
            weight=c.weight,
            max_score=c.max_score,
            threshold=c.threshold,
            label=c.name,
        )
        for c in call.criteria.all()
    ]


def tie_breaks(call: Call) -> list[TieBreak]:
    """The call's chain ("criterion:Impact", "geographic_diversity", "submitted_at") as steps;
    criteria by name, case-insensitive. Unknown steps raise ValueError."""
    codes = {criterion_code(c.name) for c in call.criteria.all()}
    steps = []
    for text in call.tie_break_chain or []:
        kind, _sep, name = str(text).partition(":")
        if kind == TieBreakKind.CRITERION:
            code = criterion_code(name)
            if code not in codes:
                raise ValueError(f"tie-break step {text!r} names no criterion of the call")
            steps.append(TieBreak(TieBreakKind.CRITERION, code))
        elif kind in _STEP_NAMES and not name:
            steps.append(TieBreak(_STEP_NAMES[kind]))
        else:
            raise ValueError(f"unknown tie-break step {text!r}")
    return steps


def divergence_rule(call: Call) -> DivergenceRule:
    return DivergenceRule(
        total_ratio=Decimal(call.divergence_percent) / 100, criterion_gap=call.divergence_points
    )


def extra_evaluator_rule(call: Call) -> FinalScoreRule | None:
    """The final-score rule once an additional evaluator settled a divergence; None when the
    call settles divergences by consensus only."""
    if not call.divergence_by_extra_evaluator:
        return None
    return FinalScoreRule(call.extra_evaluator_rule)


#: `ApplicationResult.settled_by` values.
SETTLED_BY_CONSENSUS = "consensus"
SETTLED_BY_EXTRA_EVALUATOR = "extra_evaluator"


#: What the results read of an application, in the order of `Application`'s fields (its
#: `from_db` takes them so).
_APPLICATION_FIELDS = ("id", "call_id", "state", "reference", "submitted_at")


@dataclass(eq=False)
class ApplicationResult:
    application_id: int
    call_id: int
    state: str  # the application's
    reference: str | None
    submitted_at: datetime | None
    needed: int  # evaluators assigned (active)
    #: The countries of the consortium as submitted (what geographic diversity counts).
    countries: frozenset[str] = frozenset()
    sheets: dict[int, dict[str, Decimal]] = field(default_factory=dict)  # assignment -> scores
    consensus: Consensus | None = None
    consensus_scores: dict[str, Decimal] = field(default_factory=dict)
    divergence: Divergence | None = None
    #: What settled a divergence: SETTLED_BY_CONSENSUS, SETTLED_BY_EXTRA_EVALUATOR or None.
    settled_by: str | None = None
    #: How `final` was made when no consensus did (the mean, or the call's rule).
    final_rule: FinalScoreRule = FinalScoreRule.MEAN
    #: Submitted evaluations that settle a divergence when an additional evaluator may.
    settling_count: int | None = None
    final: dict[str, Decimal] = field(default_factory=dict)
    requested: Decimal = Decimal("0")  # the sum the consortium requested, as submitted
    database: str = DEFAULT_DB_ALIAS
    _application: Application | None = field(default=None, repr=False)

    @property
    def application(self) -> Application:
        """The application with only what the results read (id, call, reference, state and
        submission time; the rest deferred), built when first asked: a whole ranking of
        5,000 applications reads none of them (issue #15)."""
        if self._application is None:
            self._application = Application.from_db(
                self.database,
                _APPLICATION_FIELDS,
                (self.application_id, self.call_id, self.state, self.reference, self.submitted_at),
            )
        return self._application

    @property
    def all_scored(self) -> bool:
        return self.needed > 0 and len(self.sheets) == self.needed

    @property
    def concluded(self) -> bool:
        return self.consensus is not None and self.consensus.state == ConsensusState.CONCLUDED

    @property
    def divergent(self) -> bool:
        return bool(self.divergence and self.divergence.divergent)

    @property
    def complete(self) -> bool:
        """Ready to rank: every evaluator submitted, and a divergence settled (by consensus, or
        by an additional evaluator where the call allows it)."""
        if not self.all_scored:
            return False
        return self.concluded or not self.divergent or self.settled_by is not None


def call_results(call: Call, *, application: Application | None = None) -> list[ApplicationResult]:
    """Every application of the call under evaluation or later, with its sheets and finals;
    only ``application``'s result when one is given (a service checking one application).

    The rows are read as tuples (no model instance but the consensus steps'), and the rules
    asked only what they must: the mean of a criterion once per distinct sum and count of
    scores.
    """
    criteria = {c.pk: criterion_code(c.name) for c in call.criteria.all()}
    only = {} if application is None else {"pk": application.pk}
    in_results = Application.objects.filter(call=call, state__in=RESULT_STATES, **only)
    only = {} if application is None else {"application": application}
    needed = dict(
        Assignment.objects.filter(
            application__call=call, state__in=AssignmentState.active(), **only
        )
        .values("application_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("application_id", "n")
    )
    # The budget and consortium as submitted, not as edited after the last submission.
    consortia = submitted_consortia(in_results)
    database = call._state.db or DEFAULT_DB_ALIAS
    results = {}
    for pk, state, reference, submitted_at in in_results.order_by("reference", "pk").values_list(
        "pk", "state", "reference", "submitted_at"
    ):
        consortium = consortia.get(pk)
        results[pk] = ApplicationResult(
            application_id=pk,
            call_id=call.pk,
            state=state,
            reference=reference,
            submitted_at=submitted_at,
            needed=needed.get(pk, 0),
            countries=consortium.countries if consortium else frozenset(),
            requested=consortium.requested if consortium else Decimal("0.00"),
            database=database,
        )
    only = {} if application is None else {"assignment__application": application}
    for application_id, assignment_id, criterion_id, value in Score.objects.filter(
        assignment__application__call=call, assignment__state=AssignmentState.SCORED, **only
    ).values_list("assignment__application_id", "assignment_id", "criterion_id", "value"):
        result, code = results.get(application_id), criteria.get(criterion_id)
        if result is not None and code is not None:
            sheet = result.sheets.get(assignment_id)
            if sheet is None:
                sheet = result.sheets[assignment_id] = {}
            sheet[code] = value
    only = {} if application is None else {"application": application}
    consensus_rows = Consensus.objects.filter(application__call=call, **only)
    for consensus in consensus_rows.prefetch_related("scores"):
        if consensus.application_id in results:
            result = results[consensus.application_id]
            result.consensus = consensus
            if consensus.state == ConsensusState.CONCLUDED:
                result.consensus_scores = {
                    criteria[s.criterion_id]: s.value
                    for s in consensus.scores.all()
                    if s.criterion_id in criteria
                }
    rule = divergence_rule(call)
    extra_rule = extra_evaluator_rule(call)
    codes = sorted(criteria.values())
    every_code = set(codes)  # a complete sheet scores each of them (its keys are unique)
    means: dict[tuple[Decimal, int], Decimal] = {}
    for result in results.values():
        complete_sheets = {k: v for k, v in result.sheets.items() if v.keys() == every_code}
        result.divergence = check_divergence(complete_sheets, rule=rule)
        _settle(result, call, extra_rule, len(complete_sheets))
        if not result.complete:
            continue
        if result.final_rule is not FinalScoreRule.MEAN:
            result.final = final_scores(complete_sheets, rule=result.final_rule)
            continue
        # The mean of the exact sum (Decimals add exactly) over every submitted score of the
        # criterion, rounded once (two decimals, half up): the same value as
        # `scoring_rules.final_scores` on the sheets (tested).
        final = {}
        for code in codes:
            if code in result.consensus_scores:
                final[code] = round_score(result.consensus_scores[code])
                continue
            values = [sheet[code] for sheet in result.sheets.values() if code in sheet]
            key = (sum(values, Decimal(0)), len(values))
            if key not in means:
                means[key] = round_score(key[0] / key[1])
            final[code] = means[key]
        result.final = final
    return list(results.values())


def _settle(
    result: ApplicationResult, call: Call, extra_rule: FinalScoreRule | None, submitted: int
) -> None:
    """Say what settles a divergent result (DOMAIN.md "Evaluation" 4).

    A concluded consensus settles it. Where the call lets an additional evaluator settle it,
    the evaluations beyond the call's panel (``evaluators_per_proposal``) do, once every
    assigned evaluator submitted and unless a consensus step was opened for it (once opened, a
    consensus is how that application is settled); the final scores then follow the call's rule
    over every evaluation. A third opinion never moves the two most distant scores, so it
    settles by the rule, not by ending the divergence.
    """
    if result.concluded:
        result.settled_by = SETTLED_BY_CONSENSUS
        return
    if extra_rule is None:
        return
    result.settling_count = call.evaluators_per_proposal + 1
    if (
        result.divergent
        and result.all_scored
        and result.consensus is None
        and submitted >= result.settling_count
    ):
        result.settled_by = SETTLED_BY_EXTRA_EVALUATOR
        result.final_rule = extra_rule


@dataclass(frozen=True)
class RankingRow:
    ranked: RankedProposal
    result: ApplicationResult
    proposed_outcome: str  # "fund", "reserve", "reject"
    cumulative_requested: Decimal | None


#: What `call_ranking` raises (as a ValueError) for a call without evaluation criteria (one
#: imported with its results, or one whose criteria are not set yet): nothing is scored, so
#: nothing is ranked.
NO_CRITERIA = "no-criteria"


def call_ranking(call: Call) -> tuple[list[RankingRow], list[ApplicationResult]]:
    """The ranked complete applications (with why) and the ones still pending. Raises
    ValueError: `NO_CRITERIA`, or why the call's tie-break chain is invalid."""
    with collection_paused():  # tens of thousands of short-lived rows (minegap.core.gc_pause)
        return _call_ranking(call)


def _call_ranking(call: Call) -> tuple[list[RankingRow], list[ApplicationResult]]:
    criteria = criteria_specs(call)
    if not criteria:
        raise ValueError(NO_CRITERIA)
    results = call_results(call)
    complete = [r for r in results if r.complete]
    pending = [r for r in results if not r.complete]
    by_id = {r.application_id: r for r in complete}
    ranked = rank_proposals(
        [
            ProposalScores(
                id=r.application_id,
                scores=r.final,
                submitted_at=r.submitted_at,
                countries=r.countries,
                reference=r.reference or "",
            )
            for r in complete
        ],
        criteria=criteria,
        total_threshold=call.total_threshold,
        tie_breaks=tie_breaks(call),
    )
    # The budget line, in rank order: funded while the next one fits; from the first that does
    # not fit on, the passing ones are the reserve (nobody jumps the queue).
    rows, spent, line_reached = [], Decimal("0"), False
    for position in ranked:
        result = by_id[position.id]
        cumulative = None
        if not position.passed:
            outcome = "reject"
        elif not line_reached and spent + result.requested <= call.total_budget:
            spent += result.requested
            cumulative = spent
            outcome = "fund"
        else:
            line_reached = True
            outcome = "reserve"
        rows.append(RankingRow(position, result, outcome, cumulative))
    return rows, pending
