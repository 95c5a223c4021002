"""The scheduler's first stage: how many meetings each group of slots holds.

Slots are grouped so that nearly everyone is available in all of a group or in none of it (in a
typical brokerage event: the morning session's slots, the afternoon's). Counting meetings per
group instead of per slot is a relaxation of the placement problem: any placement gives each
meeting a group where both people have a common slot, nobody has more meetings in a group than
slots they are available in there, and a group holds at most tables x its slots. So the best
such choice is an upper bound on the meetings any placement holds, and it is met as soon as
each group's meetings then get distinct slots per person (`events.scheduling_colouring`).

The model stays small: only requests touching a person with more possible requests in a group
than slots there ("tight") get a yes/no per group; the others ("loose") are only counted, per
set of groups they could go in, because no per-person limit can stop them. It is an integer
programme whose LP relaxation is nearly exact (per-person capacities, per-group seats), so an
LP-based MIP solver suits it: SCIP, shipped with OR-Tools, proves every benchmark instance
optimal in 0.02-0.3 s of CPU. CP-SAT was tried first and is not used here: its presolve
rewrote the per-person capacity rows into implications that its LP does not see, leaving a
bound of about the grid's seats (2,157 for an optimum of 1,934) after seconds; without presolve
it proved the reference instance at once, but its LP did not finish in 5 s once availability
gaps made the groups finer.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

# Finer groups make a tighter bound but a larger model: with 3, every benchmark shape was proven
# optimal (with 2 and even 1 too), 4 took three times the CPU.
MAX_GROUPS = 3


@dataclass(frozen=True)
class GroupChoice:
    groups: dict[int, int]  # request key -> group index
    upper_bound: int  # no placement holds more meetings
    proven: bool  # the choice is optimal (its count equals the bound)


def slot_groups(slots: int, availability: Mapping[int, frozenset[int]]) -> list[list[int]]:
    """Slots 0..slots-1 in groups, each in time order: first the slots interchangeable for
    everyone (the same people available); if that makes more than MAX_GROUPS, the two groups
    whose union splits the fewest people's availability are merged, until MAX_GROUPS remain."""
    masks = Counter(
        sum(1 << slot for slot in available if 0 <= slot < slots)
        for available in availability.values()
    )
    signature: dict[int, list[int]] = defaultdict(list)
    for slot in range(slots):
        bit = 1 << slot
        signature[slot] = [mask for mask in sorted(masks) if mask & bit]
    by_signature: dict[tuple[int, ...], int] = {}
    for slot in range(slots):
        key = tuple(signature[slot])
        by_signature[key] = by_signature.get(key, 0) | (1 << slot)
    groups = sorted(by_signature.values(), key=lambda g: g & -g)

    def split(group: int) -> int:  # people available in part of the group
        return sum(n for mask, n in masks.items() if 0 != mask & group != group)

    while len(groups) > MAX_GROUPS:
        _cost, first, second = min(
            (split(groups[i] | groups[j]), i, j)
            for i in range(len(groups))
            for j in range(i + 1, len(groups))
        )
        groups[first] |= groups.pop(second)
    return [[slot for slot in range(slots) if group >> slot & 1] for group in groups]


def choose_groups(
    pairs: Mapping[int, tuple[int, int]],
    allowed: Mapping[int, list[int]],
    groups: list[list[int]],
    available: Mapping[int, frozenset[int]],
    tables: int,
    *,
    fixed: Mapping[int, int],
    time_limit: float,
) -> GroupChoice:
    """`allowed`: request key -> the slots both people can attend; `available`: a person's
    slots, for those who are not available throughout; `fixed`: request key -> its slot.
    Chooses a group for as many requests as possible."""
    group_of = {slot: index for index, group in enumerate(groups) for slot in group}
    everyone = [len(group) for group in groups]
    capacity: dict[tuple[int, int], int] = {}  # (person, group) -> their slots in it
    for person, slots in available.items():
        for index, group in enumerate(groups):
            capacity[person, index] = len(slots.intersection(group))
    options = {key: sorted({group_of[slot] for slot in slots}) for key, slots in allowed.items()}
    load: Counter[tuple[int, int]] = Counter()
    for key, indexes in options.items():
        for index in indexes:
            for person in pairs[key]:
                load[person, index] += 1

    def cap(person: int, index: int) -> int:
        return capacity.get((person, index), everyone[index])

    solver = pywraplp.Solver.CreateSolver("SCIP")
    solver.SetNumThreads(1)
    chosen: dict[tuple[int, int], pywraplp.Variable] = {}
    by_person: dict[tuple[int, int], list] = defaultdict(list)
    by_group: dict[int, list] = defaultdict(list)
    loose: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for key, indexes in options.items():
        tight = key in fixed or any(
            load[person, index] > cap(person, index) for index in indexes for person in pairs[key]
        )
        if not tight:
            if indexes:
                loose[tuple(indexes)].append(key)
            continue
        row = []
        for index in indexes:
            chosen[key, index] = var = solver.BoolVar(f"r{key}g{index}")
            row.append(var)
            by_group[index].append(var)
            for person in pairs[key]:
                by_person[person, index].append(var)
        solver.Add(solver.Sum(row) <= 1)
        if key in fixed:
            solver.Add(chosen[key, group_of[fixed[key]]] == 1)
    counted: dict[tuple[tuple[int, ...], int], pywraplp.Variable] = {}
    for indexes, keys in loose.items():
        for index in indexes:
            counted[indexes, index] = var = solver.IntVar(0, len(keys), f"n{indexes}g{index}")
            by_group[index].append(var)
        solver.Add(solver.Sum([counted[indexes, index] for index in indexes]) <= len(keys))
    for (person, index), row in by_person.items():
        if len(row) > cap(person, index):
            solver.Add(solver.Sum(row) <= cap(person, index))
    for index, row in by_group.items():
        solver.Add(solver.Sum(row) <= tables * len(groups[index]))
    solver.Maximize(solver.Sum([*chosen.values(), *counted.values()]))
    solver.SetTimeLimit(int(time_limit * 1000))
    status = solver.Solve()
    if status == pywraplp.Solver.INFEASIBLE:
        raise ValueError("The fixed meetings do not fit the grid together.")
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return GroupChoice(groups={}, upper_bound=sum(map(bool, allowed.values())), proven=False)
    result = {key: index for (key, index), var in chosen.items() if var.solution_value() > 0.5}
    for indexes, keys in loose.items():
        queue = iter(keys)
        for index in indexes:
            for _ in range(round(counted[indexes, index].solution_value())):
                result[next(queue)] = index
    # The objective is a count: a bound of 1,933.9999 (floating point) means 1,934.
    bound = math.floor(solver.Objective().BestBound() + 1e-6)
    return GroupChoice(groups=result, upper_bound=bound, proven=len(result) == bound)
