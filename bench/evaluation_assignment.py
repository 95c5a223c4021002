"""Benchmark: optimal assignment of 300 evaluators to 2,000 proposals, 3 each.

Realistic data from a seeded RNG: consortia of 2-3 organisations from 2-3 countries (mining
countries more frequent), expertise tags from thematic areas, value-chain stages and critical raw
materials, evaluators employed by some of the applicant organisations, and declared conflicts.
Prints one JSON line; ``python -m bench.evaluation_assignment`` runs it alone.

On PostgreSQL (DATABASE_URL) it then times the same problem through the service, as staff run
it: the problem written into a database of its own (BENCH_ASSIGNMENT_DATABASE, created beside
DATABASE_URL's, regenerated each run) by `bench._assignment_data`, then
`run_auto_assignment` (read, affinities, solve, write 6,000 rows, the state change and the
ledger), BENCH_ASSIGNMENT_RUNS times, each rolled back so the next starts from the same data;
one more JSON line with the median and each phase (`build_problem`, `solve`, the rest).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import statistics
import time
from decimal import Decimal

import django

if not django.apps.apps.ready:  # run alone (python -m bench.evaluation_assignment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minegap.settings.local")
    django.setup()

import psycopg
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections, transaction

from accounts import roles
from accounts.models import User
from bench._assignment_data import write_problem
from calls.models import Call
from evaluation.assignment import AssignmentProblem, EvaluatorSpec, ProposalSpec, solve
from evaluation.services import assignment as service

PROPOSALS = 2000
EVALUATORS = 300
REVIEWERS = 3
SEED = 20260523
# The target for the whole service (read, affinities, solve, write 6,000 rows).
TARGET_SERVICE_SECONDS = 3.0

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


def solver_benchmark(problem: AssignmentProblem) -> dict:
    """The solver alone on `problem`: one JSON line."""
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


def main() -> dict:
    """The solver, then (on PostgreSQL) the service; `make bench BENCH=evaluation_assignment`."""
    problem = generate()
    report = solver_benchmark(problem)
    if connections["default"].vendor == "postgresql":
        report["through_service"] = through_service(problem)
    return report


class _RolledBack(Exception):
    """Raised to roll a timed run back, so the next one starts from the same data."""


def _use_database(name: str) -> None:
    """Point the default connection at a fresh, migrated database `name` on the same server."""
    connection = connections["default"]
    params = dict(connection.settings_dict)
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()
    server = {
        "host": params.get("HOST") or None,
        "port": params.get("PORT") or None,
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    connection.settings_dict["NAME"] = name
    connection.settings_dict.setdefault("OPTIONS", {}).pop("pool", None)
    with psycopg.connect(**{k: v for k, v in server.items() if v}, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0, interactive=False)


def _timed_run(call_id: int, staff: User) -> dict:
    """One run through the service, rolled back; its phases in seconds."""
    phases = {}
    with contextlib.suppress(_RolledBack), transaction.atomic():
        call = Call.objects.get(pk=call_id)
        began = time.perf_counter()
        problem = service.build_problem(call)
        phases["build_problem"] = time.perf_counter() - began
        began = time.perf_counter()
        solve(problem)
        phases["solve"] = time.perf_counter() - began
        began, cpu = time.perf_counter(), time.process_time()
        outcome = service.run_auto_assignment(call=call, actor=staff)
        phases["service"] = time.perf_counter() - began
        phases["service_cpu"] = time.process_time() - cpu
        phases["created"] = outcome.created
        raise _RolledBack
    return phases


def through_service(problem: AssignmentProblem) -> dict:
    database = os.environ.get("BENCH_ASSIGNMENT_DATABASE", "mg_bench_assignment")
    runs = int(os.environ.get("BENCH_ASSIGNMENT_RUNS", "3"))
    _use_database(database)
    began = time.perf_counter()
    call = write_problem(problem, AREAS, slug="bench-assignment")
    staff = User.objects.create(
        email="bench-assignment-staff@example.org", password=make_password(None)
    )
    staff.groups.add(Group.objects.get_or_create(name=roles.STAFF)[0])
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE")
    generate_seconds = time.perf_counter() - began
    samples = [_timed_run(call.pk, staff) for _ in range(runs)]
    service_seconds = [s["service"] for s in samples]
    report = {
        "benchmark": "evaluation_assignment_service",
        "database": database,
        "proposals": len(problem.proposals),
        "evaluators": len(problem.evaluators),
        "created": samples[0]["created"],
        "generate_seconds": round(generate_seconds, 1),
        "runs": runs,
        # The whole service: read, affinities, solve, write the rows, transition, ledger.
        "seconds_median": round(statistics.median(service_seconds), 3),
        "seconds_max": round(max(service_seconds), 3),
        # This process's CPU in the service (PostgreSQL's is not in it): what a busy machine
        # changes least.
        "cpu_seconds_median": round(statistics.median(s["service_cpu"] for s in samples), 3),
        # Its parts, timed apart in the same runs (medians).
        "build_problem_seconds": round(statistics.median(s["build_problem"] for s in samples), 3),
        "solve_seconds": round(statistics.median(s["solve"] for s in samples), 3),
        "target_seconds": TARGET_SERVICE_SECONDS,
    }
    report["verdict"] = "pass" if report["seconds_max"] < TARGET_SERVICE_SECONDS else "miss"
    print(json.dumps(report), flush=True)
    return report


if __name__ == "__main__":
    main()
