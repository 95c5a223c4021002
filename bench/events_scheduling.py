"""Benchmark: a brokerage event's meeting grid, 500 participants and 2,000 accepted requests.

A seeded RNG draws requests (popular participants are asked more often, as at real brokerage
events) and availabilities (a fifth of the people are away for one of the two sessions); the
grid is 2 sessions of 10 twenty-minute slots with 60 tables. Prints one JSON line: the time,
the share of requests placed, and whether the solver proved the placement optimal.
``python -m bench.events_scheduling`` runs it alone.
"""

from __future__ import annotations

import json
import random
import time

from events.scheduling import Grid, MeetingRequest, place_meetings

PARTICIPANTS = 500
REQUESTS = 2000
SLOTS = 24  # two sessions of twelve 20-minute slots
TABLES = 100
SEED = 20261207


def generate() -> tuple[list[MeetingRequest], Grid]:
    rng = random.Random(SEED)
    weights = [1 + rng.paretovariate(3.0) for _ in range(PARTICIPANTS)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < REQUESTS:
        a, b = rng.choices(range(PARTICIPANTS), weights=weights, k=2)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    requests = [MeetingRequest(key=i, first=a, second=b) for i, (a, b) in enumerate(sorted(pairs))]
    morning, afternoon = frozenset(range(SLOTS // 2)), frozenset(range(SLOTS // 2, SLOTS))
    availability = {}
    for person in range(PARTICIPANTS):
        draw = rng.random()
        if draw < 0.1:
            availability[person] = morning
        elif draw < 0.2:
            availability[person] = afternoon
    return requests, Grid(slots=SLOTS, tables=TABLES, availability=availability)


def main() -> dict:
    requests, grid = generate()
    start = time.perf_counter()
    placement = place_meetings(requests, grid)
    seconds = time.perf_counter() - start
    report = {
        "benchmark": "events_scheduling",
        "participants": PARTICIPANTS,
        "accepted_requests": len(requests),
        "slots": SLOTS,
        "tables": TABLES,
        "seconds": round(seconds, 3),
        "placed": placement.placed,
        "share_placed": round(placement.placed / len(requests), 4),
        "upper_bound": placement.upper_bound,
        "optimal": placement.optimal,
    }
    print(json.dumps(report))
    return report


if __name__ == "__main__":
    main()
