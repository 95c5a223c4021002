"""Placing a brokerage event's accepted one-to-one meetings on its meeting grid.

The problem: each accepted request (two participants) gets at most one slot; in a slot nobody
has two meetings and at most `tables` meetings run; a meeting goes only in a slot both
participants said they are available. Maximise the number of meetings placed.

With two people per meeting this is a maximum edge colouring of a general graph with side
constraints (tables, availability): NP-hard, and one CP-SAT model over every (request, slot)
pair does not prove optimality at real sizes (~48,000 yes/no for 500 people, 2,000 requests
and 24 slots: its bound stayed at the grid's seats). The method uses what makes real grids
easy: most slots are interchangeable (whoever is there for one slot of a session is there for
the others), and request graphs are sparse. Three stages:
1. `events.scheduling_groups`: how many meetings each group of interchangeable slots holds,
   within every person's and every group's capacity: a small integer programme solved to
   optimality by SCIP in a fraction of a second. It is a relaxation, so its optimum is an
   upper bound on any placement: the bound reported.
2. `events.scheduling_colouring`: within each group, distinct slots for each person's meetings
   (edge colouring with Kempe-chain swaps, then tables balanced), which succeeds unless a
   group's busiest people are packed together or someone's few available slots collide.
3. `events.scheduling_repair`, rarely: the meetings the colouring left out are placed by
   CP-SAT re-placing every meeting of the people around them, in growing neighbourhoods.
When the placement meets the bound it is optimal, and proven so (`optimal`); otherwise the bound
says how far from optimal it can be. The simple per-person bound the solver reported before
(1,947 on the benchmark) was weak because it assumed that each request dropped at an overbooked
person also relieves another overbooked person; most go to people with room to spare.
Benchmark (bench/events_scheduling.py): the issue's instance, 500 participants and 2,000
requests, is proven optimal, 1,934 placed (96.7 %), in about 0.2 s of CPU; so are eight
other seeds and shapes (denser, sparser, half-day people, single-slot gaps, fewer tables).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from events.scheduling_colouring import colour
from events.scheduling_groups import choose_groups, slot_groups
from events.scheduling_repair import fill, repair

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
    started = time.monotonic()
    requests = list(requests)
    fixed = dict(fixed or {})
    every_slot = frozenset(range(grid.slots))
    allowed = {
        r.key: sorted(grid.slots_of(r.first) & grid.slots_of(r.second) & every_slot)
        for r in requests
    }
    pairs = {r.key: (r.first, r.second) for r in requests}
    _check_fixed(pairs, allowed, fixed, grid)
    groups = slot_groups(grid.slots, grid.availability)
    choice = choose_groups(
        pairs,
        allowed,
        groups,
        {person: slots & every_slot for person, slots in grid.availability.items()},
        grid.tables,
        fixed=fixed,
        time_limit=0.75 * time_limit,  # the rest is for the repairs, rarely needed
    )
    bound = min(choice.upper_bound, _simple_bound(requests, grid, allowed))
    slots: dict[int, int] = {}
    missing: list[int] = []
    for index, group in enumerate(groups):
        members = {key: pairs[key] for key, chosen in choice.groups.items() if chosen == index}
        placed, unplaced = colour(
            members,
            group,
            grid.tables,
            allowed={key: frozenset(allowed[key]) for key in members},
            fixed={key: slot for key, slot in fixed.items() if key in members},
        )
        slots.update(placed)
        missing.extend(unplaced)
    if len(slots) < bound:
        slots = fill(pairs, allowed, grid.tables, slots)
    if len(slots) < bound:
        slots, bound = repair(
            pairs,
            allowed,
            grid.tables,
            slots,
            missing=[key for key in missing if key not in slots],
            fixed=fixed,
            bound=bound,
            deadline=started + time_limit,
            workers=workers,
        )
    return Placement(
        slots=slots, tables=_tables(slots), optimal=len(slots) == bound, upper_bound=bound
    )


def _check_fixed(
    pairs: dict[int, tuple[int, int]], allowed: dict[int, list[int]], fixed: dict, grid: Grid
) -> None:
    for key, slot in fixed.items():
        if slot not in allowed.get(key, []):
            raise ValueError(f"Meeting {key} cannot stay in slot {slot}: someone is unavailable.")
    seats = Counter((person, slot) for key, slot in fixed.items() for person in pairs[key])
    if (
        max(seats.values(), default=0) > 1
        or max(Counter(fixed.values()).values(), default=0) > grid.tables
    ):
        raise ValueError("The fixed meetings do not fit the grid together.")


def _tables(slots: dict[int, int]) -> dict[int, int]:
    """Tables numbered in each slot in the order of the requests' keys."""
    next_table: dict[int, int] = defaultdict(int)
    tables = {}
    for key in sorted(slots):
        tables[key] = next_table[slots[key]]
        next_table[slots[key]] += 1
    return tables


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
