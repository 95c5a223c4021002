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


def solve(problem: AssignmentProblem) -> AssignmentResult:
    """Assign evaluators optimally; when impossible, say exactly what is missing."""
    validate(problem)
    proposals = sorted(problem.proposals, key=lambda p: p.id)
    evaluators = sorted(problem.evaluators, key=lambda e: e.id)
    n_p, n_e = len(proposals), len(evaluators)
    e_index = {e.id: i for i, e in enumerate(evaluators)}
    spread = problem.load_spread_cost

    manual_by_p: dict[int, list[int]] = defaultdict(list)
    manual_load = np.zeros(n_e, dtype=np.int64)
    for pid, eid in problem.manual:
        manual_by_p[pid].append(e_index[eid])
        manual_load[e_index[eid]] += 1
    forbidden_by_p: dict[int, list[int]] = defaultdict(list)
    for pid, eid in problem.forbidden:
        if eid in e_index:
            forbidden_by_p[pid].append(e_index[eid])
    remaining = np.array([e.max_load for e in evaluators], dtype=np.int64) - manual_load

    # Inverted indexes: who holds a tag (with which weight), works for an organisation, lives in
    # a country.
    tag_holders: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    holders: dict[str, list[tuple[int, int]]] = defaultdict(list)
    by_employer: dict[int, list[int]] = defaultdict(list)
    by_country: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(evaluators):
        for tag, weight in e.expertise.items():
            holders[tag].append((i, _hundredths(weight)))
        if e.employer_id is not None:
            by_employer[e.employer_id].append(i)
        if e.country:
            by_country[e.country].append(i)
    for tag, pairs in holders.items():
        idx, w = zip(*pairs, strict=True)
        tag_holders[tag] = (np.array(idx, dtype=np.int64), np.array(w, dtype=np.int64))

    has_room = remaining > 0
    need = np.zeros(n_p, dtype=np.int64)
    tails, heads, costs = [], [], []
    eligible_of: list[np.ndarray] = []
    shortfalls: list[Shortfall] = []
    for i, p in enumerate(proposals):
        need[i] = max(0, p.reviewers - len(manual_by_p[p.id]))
        mask = has_room.copy()
        for org in p.organisation_ids:
            mask[by_employer.get(org, [])] = False
        mask[forbidden_by_p.get(p.id, [])] = False
        if problem.exclude_same_country:
            for country in p.countries:
                mask[by_country.get(country, [])] = False
        mask[manual_by_p.get(p.id, [])] = False
        eligible = np.nonzero(mask)[0]
        eligible_of.append(eligible)
        if len(eligible) < need[i]:
            shortfalls.append(_shortfall(problem, p, evaluators, manual_by_p[p.id], remaining))
        if need[i] == 0 or len(eligible) == 0:
            continue
        acc = np.zeros(n_e, dtype=np.int64)
        for tag in p.expertise:
            if tag in tag_holders:
                idx, w = tag_holders[tag]
                acc[idx] += w
        count = len(p.expertise)
        scores = (2 * acc[eligible] + count) // (2 * count) if count else acc[eligible]
        tails.append(np.full(len(eligible), i, dtype=np.int32))
        heads.append((eligible + n_p).astype(np.int32))
        costs.append(MAX_MATCH - scores)

    flow = min_cost_flow.SimpleMinCostFlow()
    sink = n_p + n_e
    pair_tails = np.concatenate(tails) if tails else np.zeros(0, dtype=np.int32)
    pair_heads = np.concatenate(heads) if heads else np.zeros(0, dtype=np.int32)
    pair_costs = np.concatenate(costs).astype(np.int64) if costs else np.zeros(0, dtype=np.int64)
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        pair_tails, pair_heads, np.ones(len(pair_tails), dtype=np.int64), pair_costs
    )
    # Load arcs: the k-th unit of an evaluator's load costs spread * (k - 1); manual assignments
    # already took the first units. No more arcs than proposals that could use them.
    in_degree = np.bincount(pair_heads - n_p, minlength=n_e) if len(pair_heads) else None
    load_tails, load_costs = [], []
    for j in range(n_e):
        units = int(min(remaining[j], in_degree[j])) if in_degree is not None else 0
        for k in range(units):
            load_tails.append(n_p + j)
            load_costs.append(spread * int(manual_load[j] + k))
    if load_tails:
        flow.add_arcs_with_capacity_and_unit_cost(
            np.array(load_tails, dtype=np.int32),
            np.full(len(load_tails), sink, dtype=np.int32),
            np.ones(len(load_tails), dtype=np.int64),
            np.array(load_costs, dtype=np.int64),
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
                    eligible_of,
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
    eligible_of: list[np.ndarray],
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
        for j in eligible_of[i]:
            j = int(j)
            if j in seen_e or j in assigned[i]:
                continue
            seen_e.add(j)
            for other in served[j]:
                if other not in group:
                    group.add(other)
                    stack.append(other)
    degree: dict[int, int] = defaultdict(int)
    for i in group:
        for j in eligible_of[i]:
            degree[int(j)] += 1
    places = sum(min(int(remaining[j]), d) for j, d in degree.items())
    return Bottleneck(
        proposal_labels=tuple(proposals[i].name for i in sorted(group)),
        evaluator_labels=tuple(evaluators[j].name for j in sorted(degree)),
        demand=int(sum(need[i] for i in group)),
        places=places,
    )
