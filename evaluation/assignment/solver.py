"""Optimal assignment of evaluators to proposals, as a min-cost flow (OR-Tools).

The network::

    proposal p --(capacity 1, cost MAX_MATCH - match(p, e))--> evaluator e   for each eligible pair
    evaluator e --(capacity 1, cost load_spread_cost * (k - 1))--> sink      for its k-th proposal

Each proposal supplies the evaluators it still needs (N minus its manual assignments); the sink
absorbs them all. An evaluator's parallel arcs to the sink have increasing costs (a convex cost
of load), so a minimum-cost flow fills them in order and spreads the work. Every proposal gets
the same number of places whatever the solution, so minimising ``sum(MAX_MATCH - match)`` is
maximising the total match. Manual assignments are not in the network: they are kept as they
are, take their proposal's places and their evaluator's load (and the first, cheapest units of
its load cost). Min-cost flow has integral optimal solutions, so this is the exact optimum of
the integer program, found in polynomial time.

Determinism: proposals and evaluators are sorted by id before the network is built, so the
same problem (in any order) gives the same arcs in the same order and the same answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

import numpy as np
from ortools.graph.python import min_cost_flow

from .problem import (
    MAX_MATCH,
    Assignment,
    AssignmentProblem,
    AssignmentResult,
    Bottleneck,
    EvaluatorSpec,
    Exclusion,
    InvalidProblem,
    ProposalSpec,
    Shortfall,
)

_HUNDRED = Decimal(100)


def _hundredths(weight: Decimal) -> int:
    return int(Decimal(weight) * _HUNDRED)


def match_score(proposal: ProposalSpec, evaluator: EvaluatorSpec) -> tuple[int, tuple[str, ...]]:
    """The pair's expertise match, 0..100, and the tags it matched (sorted).

    ``round_half_up(100 * sum(evaluator's weight of each of the proposal's tags) / number of the
    proposal's tags)``: the share of the proposal's topics the evaluator covers, each counted by
    how strong the evaluator is on it. Integer arithmetic, so the same on every machine.
    """
    tags = proposal.expertise
    if not tags:
        return 0, ()
    matched = tuple(sorted(t for t in tags if t in evaluator.expertise))
    total = sum(_hundredths(evaluator.expertise[t]) for t in matched)
    count = len(tags)
    return (2 * total + count) // (2 * count), matched


def exclusion(
    proposal: ProposalSpec,
    evaluator: EvaluatorSpec,
    *,
    forbidden: frozenset[tuple[int, int]] = frozenset(),
    exclude_same_country: bool = True,
) -> Exclusion | None:
    """The hard rule keeping ``evaluator`` off ``proposal``, or None when they may review it."""
    if evaluator.employer_id is not None and evaluator.employer_id in proposal.organisation_ids:
        return Exclusion.EMPLOYER
    if (proposal.id, evaluator.id) in forbidden:
        return Exclusion.CONFLICT
    if exclude_same_country and evaluator.country and evaluator.country in proposal.countries:
        return Exclusion.COUNTRY
    return None


def validate(problem: AssignmentProblem) -> None:
    """Raise :class:`InvalidProblem` listing every inconsistency of the input."""
    errors: list[str] = []
    proposals = {p.id: p for p in problem.proposals}
    evaluators = {e.id: e for e in problem.evaluators}
    if len(proposals) != len(problem.proposals):
        errors.append("duplicate proposal ids")
    if len(evaluators) != len(problem.evaluators):
        errors.append("duplicate evaluator ids")
    if problem.load_spread_cost < 0:
        errors.append("load_spread_cost must not be negative")
    errors.extend(
        f"proposal {p.name} needs at least one evaluator"
        for p in problem.proposals
        if p.reviewers < 1
    )
    for e in problem.evaluators:
        if e.max_load < 0:
            errors.append(f"evaluator {e.name} has a negative maximum load")
        for tag, weight in e.expertise.items():
            w = Decimal(weight)
            if not (0 < w <= 1) or w * _HUNDRED != int(w * _HUNDRED):
                errors.append(
                    f"evaluator {e.name}: weight of {tag!r} must be in (0, 1], 2 decimals"
                )
    manual_load: dict[int, int] = defaultdict(int)
    for pid, eid in sorted(problem.manual):
        if pid not in proposals or eid not in evaluators:
            errors.append(
                f"manual assignment ({pid}, {eid}) names an unknown proposal or evaluator"
            )
            continue
        manual_load[eid] += 1
        reason = exclusion(
            proposals[pid],
            evaluators[eid],
            forbidden=problem.forbidden,
            exclude_same_country=problem.exclude_same_country,
        )
        if reason is not None:
            errors.append(
                f"manual assignment of {evaluators[eid].name} to {proposals[pid].name} breaks "
                f"a hard rule ({reason.value})"
            )
    errors.extend(
        f"evaluator {evaluators[eid].name} has {count} manual assignments, above its maximum "
        f"load {evaluators[eid].max_load}"
        for eid, count in sorted(manual_load.items())
        if count > evaluators[eid].max_load
    )
    if errors:
        raise InvalidProblem(errors)


def _scores(proposals: list[ProposalSpec], evaluators: list[EvaluatorSpec]) -> np.ndarray:
    """`match_score` of every (proposal, evaluator) pair at once, as a proposals x evaluators
    matrix: the proposals' tags (0/1) times the evaluators' weights in hundredths, then the same
    integer rounding."""
    tag_index: dict[str, int] = {}
    weights: list[tuple[int, int, int]] = []  # (tag, evaluator, hundredths)
    for j, e in enumerate(evaluators):
        for tag, weight in e.expertise.items():
            weights.append((tag_index.setdefault(tag, len(tag_index)), j, _hundredths(weight)))
    held = np.zeros((len(tag_index), len(evaluators)), dtype=np.int64)
    if weights:
        t, j, w = np.array(weights, dtype=np.int64).T
        held[t, j] = w
    tagged = np.zeros((len(proposals), len(tag_index)), dtype=np.int64)
    rows = [
        (i, tag_index[tag])
        for i, p in enumerate(proposals)
        for tag in p.expertise
        if tag in tag_index
    ]
    if rows:
        i, t = np.array(rows, dtype=np.int64).T
        tagged[i, t] = 1
    count = np.array([len(p.expertise) for p in proposals], dtype=np.int64)[:, None]
    total = tagged @ held
    return np.where(count > 0, (2 * total + count) // (2 * np.maximum(count, 1)), 0)


def _eligible(
    problem: AssignmentProblem,
    proposals: list[ProposalSpec],
    evaluators: list[EvaluatorSpec],
    manual_pairs: list[tuple[int, int]],
    has_room: np.ndarray,
) -> np.ndarray:
    """proposals x evaluators: True where the evaluator may still take the proposal (no hard
    rule against it, room left, not already assigned to it by hand)."""
    p_index = {p.id: i for i, p in enumerate(proposals)}
    e_index = {e.id: j for j, e in enumerate(evaluators)}
    eligible = np.repeat(has_room[None, :], len(proposals), axis=0)
    by_employer: dict[int, list[int]] = defaultdict(list)
    for j, e in enumerate(evaluators):
        if e.employer_id is not None:
            by_employer[e.employer_id].append(j)
    excluded = [
        (i, j)
        for i, p in enumerate(proposals)
        for organisation in p.organisation_ids
        for j in by_employer.get(organisation, ())
    ]
    excluded += [
        (p_index[pid], e_index[eid])
        for pid, eid in problem.forbidden
        if pid in p_index and eid in e_index
    ]
    excluded += manual_pairs
    if excluded:
        i, j = np.array(excluded, dtype=np.int64).T
        eligible[i, j] = False
    if problem.exclude_same_country:
        countries: dict[str, int] = {}
        for e in evaluators:
            if e.country:
                countries.setdefault(e.country, len(countries))
        lives_in = np.zeros((len(countries), len(evaluators)), dtype=bool)
        for j, e in enumerate(evaluators):
            if e.country:
                lives_in[countries[e.country], j] = True
        applies_from = np.zeros((len(proposals), len(countries)), dtype=bool)
        for i, p in enumerate(proposals):
            for country in p.countries:
                if country in countries:
                    applies_from[i, countries[country]] = True
        eligible &= ~(applies_from.astype(np.int64) @ lives_in.astype(np.int64)).astype(bool)
    return eligible


def solve(problem: AssignmentProblem) -> AssignmentResult:
    """Assign evaluators optimally; when impossible, say exactly what is missing."""
    validate(problem)
    proposals = sorted(problem.proposals, key=lambda p: p.id)
    evaluators = sorted(problem.evaluators, key=lambda e: e.id)
    n_p, n_e = len(proposals), len(evaluators)
    p_index = {p.id: i for i, p in enumerate(proposals)}
    e_index = {e.id: i for i, e in enumerate(evaluators)}
    spread = problem.load_spread_cost

    manual_by_p: dict[int, list[int]] = defaultdict(list)
    manual_load = np.zeros(n_e, dtype=np.int64)
    for pid, eid in problem.manual:
        manual_by_p[pid].append(e_index[eid])
        manual_load[e_index[eid]] += 1
    remaining = np.array([e.max_load for e in evaluators], dtype=np.int64) - manual_load
    need = np.array(
        [max(0, p.reviewers - len(manual_by_p[p.id])) for p in proposals], dtype=np.int64
    )
    eligible = _eligible(
        problem,
        proposals,
        evaluators,
        [(p_index[pid], e_index[eid]) for pid, eid in problem.manual],
        remaining > 0,
    )
    shortfalls = [
        _shortfall(problem, proposals[i], evaluators, manual_by_p[proposals[i].id], remaining)
        for i in np.nonzero(eligible.sum(axis=1) < need)[0]
    ]
    # One arc per eligible pair of a proposal that still needs someone, proposal by proposal and
    # evaluator by evaluator (row-major order): the same network for the same problem.
    pair_tails, pair_columns = np.nonzero(eligible & (need > 0)[:, None])
    pair_costs = MAX_MATCH - _scores(proposals, evaluators)[pair_tails, pair_columns]
    pair_tails = pair_tails.astype(np.int32)
    pair_heads = (pair_columns + n_p).astype(np.int32)

    flow = min_cost_flow.SimpleMinCostFlow()
    sink = n_p + n_e
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        pair_tails, pair_heads, np.ones(len(pair_tails), dtype=np.int64), pair_costs
    )
    # Load arcs: the k-th unit of an evaluator's load costs spread * (k - 1); manual assignments
    # already took the first units. No more arcs than proposals that could use them.
    units = np.minimum(remaining, np.bincount(pair_columns, minlength=n_e)).clip(min=0)
    load_tails = np.repeat(np.arange(n_p, n_p + n_e, dtype=np.int32), units)
    # k = 0, 1, ... within each evaluator's run of arcs.
    k = np.arange(len(load_tails), dtype=np.int64) - np.repeat(np.cumsum(units) - units, units)
    if len(load_tails):
        flow.add_arcs_with_capacity_and_unit_cost(
            load_tails,
            np.full(len(load_tails), sink, dtype=np.int32),
            np.ones(len(load_tails), dtype=np.int64),
            (spread * (np.repeat(manual_load, units) + k)).astype(np.int64),
        )
    demand = int(need.sum())
    supplies = np.concatenate([need, np.zeros(n_e, dtype=np.int64), [-demand]]).astype(np.int64)
    flow.set_nodes_supplies(np.arange(n_p + n_e + 1, dtype=np.int32), supplies)

    status = flow.solve() if demand else flow.OPTIMAL
    feasible = status == flow.OPTIMAL
    if not feasible:
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:  # pragma: no cover - OR-Tools failing on valid input
            raise RuntimeError(f"min-cost flow solver failed with status {status}")

    used = flow.flows(pair_arcs) > 0 if len(pair_tails) else np.zeros(0, dtype=bool)
    chosen = sorted(
        (proposals[int(t)].id, evaluators[int(h) - n_p].id)
        for t, h in zip(pair_tails[used], pair_heads[used], strict=True)
    )
    result_pairs = [(pid, eid, False) for pid, eid in chosen]
    result_pairs += [(pid, eid, True) for pid, eid in problem.manual]
    result_pairs.sort()
    by_pid = {p.id: p for p in proposals}
    assignments = []
    loads = dict.fromkeys((e.id for e in evaluators), 0)
    for pid, eid, manual in result_pairs:
        score, matched = match_score(by_pid[pid], evaluators[e_index[eid]])
        assignments.append(Assignment(pid, eid, score, matched, manual))
        loads[eid] += 1
    total_match = sum(a.score for a in assignments)
    load_penalty = spread * sum(n * (n - 1) // 2 for n in loads.values())

    bottlenecks: tuple[Bottleneck, ...] = ()
    if not feasible:
        got = np.bincount(pair_tails[used], minlength=n_p) if len(pair_tails) else np.zeros(n_p)
        explained = {s.proposal_id for s in shortfalls}
        short = [i for i in range(n_p) if got[i] < need[i] and proposals[i].id not in explained]
        if short:
            bottlenecks = (
                _bottleneck(
                    short,
                    proposals,
                    evaluators,
                    eligible,
                    list(zip(pair_tails[used], pair_heads[used] - n_p, strict=True)),
                    need,
                    remaining,
                ),
            )
    return AssignmentResult(
        feasible=feasible,
        assignments=tuple(assignments),
        total_match=total_match,
        load_penalty=load_penalty,
        objective=total_match - load_penalty,
        loads=loads,
        demand=demand,
        capacity=int(remaining.sum()),
        shortfalls=tuple(shortfalls),
        bottlenecks=bottlenecks,
    )


def _shortfall(
    problem: AssignmentProblem,
    proposal: ProposalSpec,
    evaluators: list[EvaluatorSpec],
    manual: list[int],
    remaining: np.ndarray,
) -> Shortfall:
    excluded = dict.fromkeys(Exclusion, 0)
    eligible = 0
    manual_set = set(manual)
    for j, e in enumerate(evaluators):
        if j in manual_set:
            continue
        reason = exclusion(
            proposal,
            e,
            forbidden=problem.forbidden,
            exclude_same_country=problem.exclude_same_country,
        )
        if reason is None and remaining[j] <= 0:
            reason = Exclusion.FULL
        if reason is None:
            eligible += 1
        else:
            excluded[reason] += 1
    return Shortfall(
        proposal_id=proposal.id,
        label=proposal.name,
        reviewers=proposal.reviewers,
        manual=len(manual),
        eligible=eligible,
        excluded={k: v for k, v in excluded.items() if v},
    )


def _bottleneck(
    short: Iterable[int],
    proposals: list[ProposalSpec],
    evaluators: list[EvaluatorSpec],
    eligible: np.ndarray,
    used_pairs: list[tuple[int, int]],
    need: np.ndarray,
    remaining: np.ndarray,
) -> Bottleneck:
    """The proposals reachable from the short ones in the residual network of a maximum flow.

    They form a violated Hall condition: everything their eligible evaluators can give them
    (remaining load, one place per proposal) is less than they need together.
    """
    served: dict[int, set[int]] = defaultdict(set)  # evaluator -> proposals it got
    assigned: dict[int, set[int]] = defaultdict(set)  # proposal -> evaluators it got
    for i, j in used_pairs:
        served[int(j)].add(int(i))
        assigned[int(i)].add(int(j))
    group = set(short)
    seen_e: set[int] = set()
    stack = list(group)
    while stack:
        i = stack.pop()
        for j in np.nonzero(eligible[i])[0].tolist():
            if j in seen_e or j in assigned[i]:
                continue
            seen_e.add(j)
            for other in served[j]:
                if other not in group:
                    group.add(other)
                    stack.append(other)
    degree: dict[int, int] = defaultdict(int)
    for i in group:
        for j in np.nonzero(eligible[i])[0].tolist():
            degree[j] += 1
    places = sum(min(int(remaining[j]), d) for j, d in degree.items())
    return Bottleneck(
        proposal_labels=tuple(proposals[i].name for i in sorted(group)),
        evaluator_labels=tuple(evaluators[j].name for j in sorted(degree)),
        demand=int(sum(need[i] for i in group)),
        places=places,
    )
