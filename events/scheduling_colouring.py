"""The scheduler's second stage: within one group of slots, a slot per meeting.

Giving each meeting a slot so that nobody has two at once is colouring the edges of the graph
of meetings (people are vertices) with the group's slots as colours. The first stage made sure
nobody has more meetings in the group than slots they are available in there; a graph whose
busiest person has k meetings needs k or k+1 colours (Vizing), and k suffice when the people
with k meetings share no cycle (Fournier), so on sparse brokerage grids k nearly always do.
The method, fast and never moving a meeting into a slot someone is away:
- meetings with the fewest slots both people can attend first (then those of the busiest
  people), each in a slot free for both;
- when none is, a Kempe-chain swap: with slot a free for one person and b for the other, the
  path of meetings alternating a and b from the second person is swapped (a <-> b), which frees
  a for both (unless the path ends at the first person: then the next pair of slots is tried);
- then tables: while a slot holds more meetings than tables, a path alternating that slot and a
  slot with room, with more meetings in the first, is swapped; that moves one meeting across
  and keeps everyone's meetings apart (McDiarmid: such a path always exists).
Meetings fixed by staff are never moved: a chain through one is not swapped. What cannot be
placed is returned unplaced, for `events.scheduling_repair`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping


class _Colouring:
    def __init__(
        self,
        pairs: Mapping[int, tuple[int, int]],
        allowed: Mapping[int, frozenset[int]],
        fixed: Mapping[int, int],
    ):
        self.pairs = pairs
        self.allowed = allowed
        self.fixed = fixed
        self.at: dict[tuple[int, int], int] = {}  # (person, slot) -> request key
        self.slot_of: dict[int, int] = {}

    def put(self, key: int, slot: int) -> None:
        first, second = self.pairs[key]
        self.at[first, slot] = self.at[second, slot] = key
        self.slot_of[key] = slot

    def lift(self, key: int) -> int:
        slot = self.slot_of.pop(key)
        first, second = self.pairs[key]
        del self.at[first, slot], self.at[second, slot]
        return slot

    def other(self, key: int, person: int) -> int:
        first, second = self.pairs[key]
        return second if person == first else first

    def chain(self, person: int, start: int, then: int, avoid: int | None = None):
        """The meetings on the path from `person` alternating slots `start`, `then`, `start`...
        (stopping before `avoid`, for a cycle through it); None if a meeting on it is fixed."""
        path, slot = [], start
        while (person, slot) in self.at and self.at[person, slot] != avoid:
            key = self.at[person, slot]
            if key in self.fixed:
                return None
            path.append(key)
            person = self.other(key, person)
            slot = then if slot == start else start
        return path

    def end_of(self, path: list[int], start: int) -> int:
        person = start
        for key in path:
            person = self.other(key, person)
        return person

    def swap(self, path: list[int], a: int, b: int) -> None:
        moved = [(key, b if self.lift(key) == a else a) for key in path]
        for key, slot in moved:
            self.put(key, slot)

    def movable(self, path: list[int], a: int, b: int) -> bool:
        """Every meeting of the path can take the other slot (both people available there)."""
        return all((b if self.slot_of[key] == a else a) in self.allowed[key] for key in path)

    def kempe(self, key: int, slots: list[int]) -> bool:
        """Frees a slot for both people of `key` by swapping a two-slot path, and puts it there."""
        for first, second in (self.pairs[key], self.pairs[key][::-1]):
            free_first = [s for s in slots if (first, s) not in self.at]
            free_second = [s for s in slots if (second, s) not in self.at]
            for a in free_first:
                if a not in self.allowed[key]:
                    continue
                for b in free_second:
                    # `second` has a meeting in a and none in b: the path from it starts with
                    # a and cannot come back to it; after the swap a is free for both, unless
                    # the path ended at `first` (then `first` would get a meeting in a).
                    path = self.chain(second, a, b)
                    if path is None or self.end_of(path, second) == first:
                        continue
                    if not self.movable(path, a, b):
                        continue
                    self.swap(path, a, b)
                    self.put(key, a)
                    return True
        return False

    def balance(self, slots: list[int], tables: int) -> list[int]:
        """Moves meetings out of slots holding more than `tables`; returns those it could not
        move (lifted: unplaced)."""
        dropped = []
        while True:
            count = Counter(self.slot_of.values())
            over = next((s for s in slots if count[s] > tables), None)
            if over is None:
                return dropped
            room = [s for s in slots if count[s] < tables]
            if not any(self._move_one(over, target) for target in room):
                victim = max(
                    k for k, s in self.slot_of.items() if s == over and k not in self.fixed
                )
                self.lift(victim)
                dropped.append(victim)

    def _move_one(self, over: int, target: int) -> bool:
        """Swaps one over/target path with more meetings in `over` than in `target`."""
        seen: set[int] = set()
        for key in sorted(k for k, s in self.slot_of.items() if s == over):
            if key in seen or key in self.fixed:
                continue
            first, second = self.pairs[key]
            left = self.chain(first, target, over, avoid=key)
            right = self.chain(second, target, over, avoid=key)
            if left is None or right is None or set(left) & set(right):
                continue  # a fixed meeting on it, or a cycle (as many in each slot)
            component = [*reversed(left), key, *right]
            seen.update(component)
            in_over = sum(1 for k in component if self.slot_of[k] == over)
            if 2 * in_over > len(component) and self.movable(component, over, target):
                self.swap(component, over, target)
                return True
        return False


def colour(
    pairs: Mapping[int, tuple[int, int]],
    slots: list[int],
    tables: int,
    *,
    allowed: Mapping[int, frozenset[int]],
    fixed: Mapping[int, int],
) -> tuple[dict[int, int], list[int]]:
    """`pairs`: the group's meetings (request key -> its two people); `allowed`: key -> the
    slots both can attend; `fixed`: key -> slot for those that stay. Returns (key -> slot for
    those placed, keys left unplaced)."""
    state = _Colouring(pairs, allowed, fixed)
    for key, slot in fixed.items():
        state.put(key, slot)
    degree = Counter(person for key in pairs for person in pairs[key])
    order = sorted(
        (key for key in pairs if key not in fixed),
        key=lambda key: (
            len(allowed[key].intersection(slots)),
            -max(degree[p] for p in pairs[key]),
            key,
        ),
    )
    unplaced = []
    count = Counter(state.slot_of.values())  # the fixed meetings
    for key in order:
        first, second = pairs[key]
        free = [
            s
            for s in slots
            if s in allowed[key] and (first, s) not in state.at and (second, s) not in state.at
        ]
        if free:
            slot = min(free, key=lambda s: (count[s] >= tables, s))
            state.put(key, slot)
            count[slot] += 1
        elif not state.kempe(key, slots):
            unplaced.append(key)
        else:
            count = Counter(state.slot_of.values())
    unplaced.extend(state.balance(slots, tables))
    return dict(state.slot_of), sorted(unplaced)
