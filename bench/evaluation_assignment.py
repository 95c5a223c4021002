"""Benchmark: optimal assignment of 300 evaluators to 2,000 proposals, 3 each.

Realistic data from a seeded RNG: consortia of 2-3 organisations from 2-3 countries (mining
countries more frequent), expertise tags from thematic areas, value-chain stages and critical raw
materials, evaluators employed by some of the applicant organisations, and declared conflicts.
Prints one JSON line; ``python -m bench.evaluation_assignment`` runs it alone.
"""

from __future__ import annotations

import json
import random
import time
from decimal import Decimal

from evaluation.assignment import AssignmentProblem, EvaluatorSpec, ProposalSpec, solve

PROPOSALS = 2000
EVALUATORS = 300
REVIEWERS = 3
SEED = 20260523

# Country weights: the mining countries of MINE.THE.GAP's calls first.
COUNTRIES = {
    "FI": 9, "SE": 9, "ES": 9, "PT": 6, "PL": 6, "DE": 6, "FR": 5, "EL": 5, "BG": 4,
    "AT": 2, "BE": 2, "CZ": 2, "DK": 1, "EE": 1, "HR": 1, "HU": 1, "IE": 1, "IT": 3,
    "LT": 1, "LV": 1, "NL": 2, "NO": 2, "RO": 2, "SI": 1, "SK": 1, "IS": 1, "RS": 1,
}  # fmt: skip
AREAS = [
    "ict",
    "circular-economy",
    "resource-efficiency",
    "advanced-manufacturing",
    "mining-services",
]
STAGES = [
    "exploration", "extraction", "processing", "refining", "manufacturing", "recycling",
    "remediation",
]  # fmt: skip
MATERIALS = [
    "lithium", "cobalt", "nickel", "copper", "graphite", "rare-earths", "tungsten", "gallium",
    "germanium", "pgm", "silicon", "titanium", "magnesium", "manganese", "boron", "bismuth",
    "bauxite",
]  # fmt: skip
WEIGHTS = [Decimal("1"), Decimal("0.75"), Decimal("0.5"), Decimal("0.25")]


def _country(rng: random.Random) -> str:
    return rng.choices(list(COUNTRIES), weights=list(COUNTRIES.values()))[0]


def _tags(rng: random.Random, areas: int, stages: int, materials: int) -> list[str]:
    return rng.sample(AREAS, areas) + rng.sample(STAGES, stages) + rng.sample(MATERIALS, materials)


def generate(seed: int = SEED) -> AssignmentProblem:
    rng = random.Random(seed)
    organisations = list(range(1, 4001))
    proposals = []
    for pid in range(1, PROPOSALS + 1):
        members = rng.sample(organisations, rng.choice([2, 2, 3]))
        countries: set[str] = set()
        while len(countries) < 2:
            countries = {_country(rng) for _ in members}
        tags = _tags(rng, 1, rng.randint(1, 2), rng.randint(1, 3))
        proposals.append(
            ProposalSpec(
                id=pid,
                reviewers=REVIEWERS,
                countries=frozenset(countries),
                organisation_ids=frozenset(members),
                expertise=frozenset(tags),
                label=f"P-{pid:04d}",
            )
        )
    evaluators = []
    for eid in range(1, EVALUATORS + 1):
        tags = _tags(rng, rng.randint(1, 2), rng.randint(1, 3), rng.randint(1, 5))
        evaluators.append(
            EvaluatorSpec(
                id=eid,
                max_load=rng.randint(22, 30),
                country=_country(rng),
                # A third work for an organisation of the pool (some of which apply).
                employer_id=rng.choice(organisations) if rng.random() < 0.33 else None,
                expertise={t: rng.choice(WEIGHTS) for t in tags},
                label=f"E-{eid:03d}",
            )
        )
    forbidden = frozenset(
        (rng.randint(1, PROPOSALS), rng.randint(1, EVALUATORS)) for _ in range(3000)
    )
    return AssignmentProblem(
        proposals=tuple(proposals), evaluators=tuple(evaluators), forbidden=forbidden
    )


def main() -> dict:
    problem = generate()
    start = time.perf_counter()
    result = solve(problem)
    seconds = time.perf_counter() - start
    report = {
        "benchmark": "evaluation_assignment",
        "proposals": PROPOSALS,
        "evaluators": EVALUATORS,
        "reviewers_per_proposal": REVIEWERS,
        "seconds": round(seconds, 3),
        "objective": result.objective,
        "total_match": result.total_match,
        "load_penalty": result.load_penalty,
        "max_load_used": max(result.loads.values()),
        "min_load_used": min(result.loads.values()),
        "feasible": result.feasible,
    }
    print(json.dumps(report))
    return report


if __name__ == "__main__":
    main()
