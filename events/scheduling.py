"""Placing a brokerage event's accepted one-to-one meetings on its meeting grid.

The problem: each accepted request (two participants) gets at most one slot; in a slot nobody
has two meetings and at most `tables` meetings run; a meeting goes only in a slot both
participants said they are available. Maximise the number of meetings placed.

Why CP-SAT (OR-Tools): with two participants per meeting this is a maximum edge colouring of a
general graph with side constraints (tables, availability), NP-hard, so no flow formulation is
exact. At real sizes (500 participants, 2,000 requests, a few dozen slots: ~50,000 booleans) the
CP-SAT solver proves optimality or stops at a time limit with the best placement found and a
proven upper bound, both reported. A greedy placement (requests of the busiest participants
first, earliest free slot) is given as its starting hint, so the answer is never worse than
greedy even when the time limit cuts the search.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

DEFAULT_TIME_LIMIT = 2.5


@dataclass(frozen=True)
class MeetingRequest:
    key: int
    first: int  # participant ids
    second: int


@dataclass(frozen=True)
class Grid:
    slots: int  # slots are numbered 0..slots-1
    tables: int
    # participant -> the slots they are available in (absent: available in every slot)
    availability: Mapping[int, frozenset[int]] = field(default_factory=dict)

    def slots_of(self, participant: int) -> frozenset[int]:
        return self.availability.get(participant, frozenset(range(self.slots)))


@dataclass(frozen=True)
class Placement:
    slots: dict[int, int]  # request key -> slot
    tables: dict[int, int]  # request key -> table (0-based)
    optimal: bool
    upper_bound: int

    @property
    def placed(self) -> int:
        return len(self.slots)


def _greedy(requests: list[MeetingRequest], grid: Grid, allowed: dict[int, list[int]]) -> dict:
    """Most constrained requests first, earliest free slot; then one round of repairs: an
    unplaced meeting takes a slot once the (at most two) meetings blocking it move elsewhere."""
    pairs = {r.key: (r.first, r.second) for r in requests}
    at: dict[tuple[int, int], int] = {}  # (person, slot) -> request key
    used: dict[int, int] = defaultdict(int)
    placed: dict[int, int] = {}

    def free(key: int, slot: int) -> bool:
        a, b = pairs[key]
        return used[slot] < grid.tables and (a, slot) not in at and (b, slot) not in at

    def put(key: int, slot: int) -> None:
        a, b = pairs[key]
        placed[key], at[a, slot], at[b, slot] = slot, key, key
        used[slot] += 1

    def take(key: int) -> int:
        a, b = pairs[key]
        slot = placed.pop(key)
        del at[a, slot], at[b, slot]
        used[slot] -= 1
        return slot

    for r in sorted(requests, key=lambda r: (len(allowed[r.key]), r.key)):
        for slot in allowed[r.key]:
            if free(r.key, slot):
                put(r.key, slot)
                break
    for r in requests:
        if r.key in placed:
            continue
        for slot in allowed[r.key]:
            blockers = {at[p, slot] for p in pairs[r.key] if (p, slot) in at}
            if not blockers and used[slot] >= grid.tables:
                continue
            moved = []
            for blocker in blockers:
                old = take(blocker)
                target = next((t for t in allowed[blocker] if t != old and free(blocker, t)), None)
                if target is None:
                    put(blocker, old)
                    break
                put(blocker, target)
                moved.append((blocker, old))
            if free(r.key, slot):
                put(r.key, slot)
                break
            for blocker, old in reversed(moved):  # undo: the slot did not free up
                take(blocker)
                put(blocker, old)
    return placed


def _tables(slots: dict[int, int]) -> dict[int, int]:
    """Tables numbered in each slot in the order of the requests' keys."""
    next_table: dict[int, int] = defaultdict(int)
    tables = {}
    for key in sorted(slots):
        tables[key] = next_table[slots[key]]
        next_table[slots[key]] += 1
    return tables


def place_meetings(
    requests: Iterable[MeetingRequest],
    grid: Grid,
    *,
    fixed: Mapping[int, int] | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    workers: int = 2,
) -> Placement:
    """The placement that holds the most meetings. `fixed` meetings (request key -> slot: moved
    by staff) stay where they are; they must fit the grid."""
    requests = list(requests)
    fixed = dict(fixed or {})
    allowed = {
        r.key: sorted(grid.slots_of(r.first) & grid.slots_of(r.second) & set(range(grid.slots)))
        for r in requests
    }
    for key, slot in fixed.items():
        if slot not in allowed.get(key, []):
            raise ValueError(f"Meeting {key} cannot stay in slot {slot}: someone is unavailable.")
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_person_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    for r in requests:
        choices = [fixed[r.key]] if r.key in fixed else allowed[r.key]
        row = []
        for slot in choices:
            var = model.new_bool_var(f"m{r.key}s{slot}")
            x[r.key, slot] = var
            row.append(var)
            by_person_slot[r.first, slot].append(var)
            by_person_slot[r.second, slot].append(var)
            by_slot[slot].append(var)
        if r.key in fixed:
            model.add(row[0] == 1)
        elif row:
            model.add_at_most_one(row)
    for group in by_person_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for group in by_slot.values():
        if len(group) > grid.tables:
            model.add(sum(group) <= grid.tables)
    model.maximize(sum(x.values()))
    greedy = _greedy(requests, grid, allowed) if not fixed else {}
    for (key, slot), var in x.items():
        if greedy:
            model.add_hint(var, 1 if greedy.get(key) == slot else 0)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    bound = _simple_bound(requests, grid, allowed)
    if status == cp_model.INFEASIBLE:
        raise ValueError("The fixed meetings do not fit the grid together.")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # The time limit struck before the first solution: the greedy placement stands.
        return Placement(
            slots=greedy, tables=_tables(greedy), optimal=len(greedy) == bound, upper_bound=bound
        )
    slots = {key: slot for (key, slot), var in x.items() if solver.value(var)}
    if len(greedy) > len(slots):
        slots = greedy
    bound = min(bound, int(solver.best_objective_bound))
    return Placement(
        slots=slots,
        tables=_tables(slots),
        optimal=status == cp_model.OPTIMAL or len(slots) == bound,
        upper_bound=bound,
    )


def _simple_bound(requests: list[MeetingRequest], grid: Grid, allowed: dict) -> int:
    """No placement holds more: the requests with a common free slot, the grid's seats, and
    each person's meetings capped by their free slots (two people per meeting)."""
    possible = [r for r in requests if allowed[r.key]]
    degree: dict[int, int] = defaultdict(int)
    for r in possible:
        degree[r.first] += 1
        degree[r.second] += 1
    per_person = sum(min(d, len(grid.slots_of(p))) for p, d in degree.items()) // 2
    return min(len(possible), grid.slots * grid.tables, per_person)
