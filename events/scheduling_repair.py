"""The scheduler's last stage, rarely needed: placing the meetings the colouring left out.

When a group's meetings could not all get distinct slots (a person's few available slots
inside a group collide with their partners'), CP-SAT re-places, over the whole grid, every
meeting of the people around the ones left out (their partners, then the partners' partners),
all other meetings staying where they are. That model has a few hundred yes/no at most, so it
is solved exactly in milliseconds; the neighbourhood grows until every meeting is placed, the
time runs out or it would cover too much of the grid. One CP-SAT model over the whole grid
(one yes/no per request and slot, ~48,000 for 500 people and 2,000 requests) is no substitute:
the 12 interchangeable slots of a session make its search space 12! times too large, and in
seconds its bound does not move from the grid's seats.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Mapping

from ortools.sat.python import cp_model

MAX_FREED = 3000  # yes/no variables: beyond this, a neighbourhood is no longer quick to solve


def fill(
    pairs: Mapping[int, tuple[int, int]],
    allowed: Mapping[int, list[int]],
    tables: int,
    slots: dict[int, int],
) -> dict[int, int]:
    """Any request left out that fits somewhere as things stand goes there (earliest slot)."""
    slots = dict(slots)
    busy = {(person, slot) for key, slot in slots.items() for person in pairs[key]}
    used = Counter(slots.values())
    for key in sorted(pairs):
        if key in slots:
            continue
        for slot in allowed[key]:
            if used[slot] < tables and all((p, slot) not in busy for p in pairs[key]):
                slots[key] = slot
                busy.update((p, slot) for p in pairs[key])
                used[slot] += 1
                break
    return slots


def repair(
    pairs: Mapping[int, tuple[int, int]],
    allowed: Mapping[int, list[int]],
    tables: int,
    slots: dict[int, int],
    *,
    missing: list[int],
    fixed: Mapping[int, int],
    bound: int,
    deadline: float,
    workers: int,
) -> tuple[dict[int, int], int]:
    """`missing`: requests the earlier stages meant to place but could not. Returns the
    placement with as many of them placed as the growing neighbourhoods allow, and the bound:
    lowered to the placement's size once a neighbourhood covering every request proves it."""
    partners: dict[int, set[int]] = defaultdict(set)
    meetings_of: dict[int, list[int]] = defaultdict(list)
    for key, (first, second) in pairs.items():
        partners[first].add(second)
        partners[second].add(first)
        meetings_of[first].append(key)
        meetings_of[second].append(key)
    movable = {key for key in pairs if key not in fixed and allowed[key]}
    people = {person for key in missing for person in pairs[key]}
    while len(slots) < bound and time.monotonic() < deadline:
        freed = {k for p in people for k in meetings_of[p] if k in movable}
        if sum(len(allowed[k]) for k in freed) > MAX_FREED:
            break
        slots, proven = _solve_around(pairs, allowed, tables, slots, freed, deadline, workers)
        if proven and freed == movable:  # nothing was kept but the fixed: a global optimum
            return slots, len(slots)
        wider = people | {partner for person in people for partner in partners[person]}
        if wider == people:  # a whole connected part of the request graph: next, everyone
            wider = set(partners)
            if wider == people:
                break
        people = wider
    return slots, bound


def _solve_around(
    pairs: Mapping[int, tuple[int, int]],
    allowed: Mapping[int, list[int]],
    tables: int,
    slots: dict[int, int],
    freed: set[int],
    deadline: float,
    workers: int,
) -> tuple[dict[int, int], bool]:
    """The best placement of the `freed` requests, every other meeting staying where it is, and
    whether the solver proved it the best."""
    kept = {key: slot for key, slot in slots.items() if key not in freed}
    busy = {(person, slot) for key, slot in kept.items() for person in pairs[key]}
    used = Counter(kept.values())
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_person_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    for key in sorted(freed):
        row = []
        for slot in allowed[key]:
            if used[slot] >= tables or any((p, slot) in busy for p in pairs[key]):
                continue
            x[key, slot] = var = model.new_bool_var(f"m{key}s{slot}")
            row.append(var)
            by_slot[slot].append(var)
            for person in pairs[key]:
                by_person_slot[person, slot].append(var)
            model.add_hint(var, slots.get(key) == slot)
        model.add_at_most_one(row)
    for row in by_person_slot.values():
        model.add_at_most_one(row)
    for slot, row in by_slot.items():
        model.add(sum(row) <= tables - used[slot])
    model.maximize(sum(x.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.1)
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return slots, False
    placed = {key: slot for (key, slot), var in x.items() if solver.value(var)}
    before = sum(1 for key in freed if key in slots)
    return ({**kept, **placed} if len(placed) > before else slots), status == cp_model.OPTIMAL
