"""Benchmark: a brokerage event's meeting grid, 500 participants and 2,000 accepted requests.

A seeded RNG draws requests (popular participants are asked more often, as at real brokerage
events) and availabilities (a fifth of the people are away for one of the two sessions); the
grid is 2 sessions of 12 twenty-minute slots with 100 tables. That is the issue's instance
("reference"); the other lines vary it: other seeds, denser and sparser request graphs, more
people away for a session or for a few single slots, fewer tables than requests. Prints one
JSON line per instance: wall and CPU seconds of `place_meetings`, the share of requests placed,
the proven upper bound and whether the placement is proven optimal (placed == bound).
``python -m bench events_scheduling`` runs it alone.
"""

from __future__ import annotations

import json
import os
import random
import time
from dataclasses import dataclass

from events.scheduling import Grid, MeetingRequest, place_meetings

PARTICIPANTS = 500
REQUESTS = 2000
SLOTS = 24  # two sessions of twelve 20-minute slots
TABLES = 100
SEED = 20261207


@dataclass(frozen=True)
class Shape:
    seed: int = SEED
    participants: int = PARTICIPANTS
    requests: int = REQUESTS
    tables: int = TABLES
    half_day: float = 0.2  # share of people there for one session only
    gaps: float = 0.0  # share of people away for 1 to 4 single slots (a talk, a call)


SHAPES = {
    "reference": Shape(),
    "seed 1": Shape(seed=1),
    "seed 2": Shape(seed=2),
    "seed 3": Shape(seed=3),
    "denser (300 people)": Shape(seed=4, participants=300),
    "sparser (1,000 people)": Shape(seed=5, participants=1000),
    "half the people half-day": Shape(seed=6, half_day=0.5),
    "a third with single-slot gaps": Shape(seed=7, gaps=0.33),
    "70 tables (1,680 seats)": Shape(seed=8, tables=70),
}


def generate(shape: Shape = SHAPES["reference"]) -> tuple[list[MeetingRequest], Grid]:
    rng = random.Random(shape.seed)
    weights = [1 + rng.paretovariate(3.0) for _ in range(shape.participants)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < shape.requests:
        a, b = rng.choices(range(shape.participants), weights=weights, k=2)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    requests = [MeetingRequest(key=i, first=a, second=b) for i, (a, b) in enumerate(sorted(pairs))]
    morning, afternoon = frozenset(range(SLOTS // 2)), frozenset(range(SLOTS // 2, SLOTS))
    availability = {}
    for person in range(shape.participants):
        draw = rng.random()
        if draw < shape.half_day / 2:
            availability[person] = morning
        elif draw < shape.half_day:
            availability[person] = afternoon
    for person in range(shape.participants):
        if shape.gaps and rng.random() < shape.gaps:
            slots = availability.get(person, frozenset(range(SLOTS)))
            away = rng.sample(sorted(slots), rng.randint(1, 4))
            availability[person] = slots - frozenset(away)
    return requests, Grid(slots=SLOTS, tables=shape.tables, availability=availability)


def measure(name: str, shape: Shape) -> dict:
    requests, grid = generate(shape)
    start, cpu = time.perf_counter(), time.process_time()
    placement = place_meetings(requests, grid)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    return {
        "benchmark": "events_scheduling",
        "instance": name,
        "participants": shape.participants,
        "accepted_requests": len(requests),
        "slots": SLOTS,
        "tables": shape.tables,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "placed": placement.placed,
        "share_placed": round(placement.placed / len(requests), 4),
        "upper_bound": placement.upper_bound,
        "optimal": placement.optimal,
    }


def main() -> list[dict]:
    reports = []
    for name, shape in SHAPES.items():
        reports.append(measure(name, shape))
        print(json.dumps(reports[-1]))
    print(json.dumps({"benchmark": "events_scheduling", "load_average": os.getloadavg()[0]}))
    return reports


if __name__ == "__main__":
    main()
