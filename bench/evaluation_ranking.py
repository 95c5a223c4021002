"""Timing (in process): the ranking of a call of 3,000 and of 5,000 evaluated applications.

Not a timed test: a quick measurement for issue #15. Creates its own database
``mg_bench_ranking`` (``BENCH_DATABASE_NAME``) the way Django's test runner does (created, migrated, dropped at the end),
generates the calls with `bench/_ranking_data.py` (deterministic seed, bulk writes, the shape
of the ranking tests' generated calls), and measures, for each size:

- ``recompute``: `evaluation.results.call_ranking` (every read and the whole order), best of 3;
- ``first_page``: the staff ranking page with an empty cache (the computation plus a page);
- ``page`` and ``api``: the staff ranking page and ``GET /api/v1/calls/{slug}/ranking/`` as
  every later request finds them, median over the rounds;
- ``healthz``: ``/healthz`` through the same client, the nearest thing to a trivial view here.

Each figure is CPU milliseconds of this process (`time.process_time`: the database server's
work is not in it) and wall milliseconds. Prints one JSON line. Needs DATABASE_URL on
PostgreSQL (skips cleanly otherwise); run it with the test settings, which let the ledger be
emptied:

    DJANGO_SETTINGS_MODULE=minegap.settings.test \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/minegap_rank python -m bench evaluation_ranking
"""

from __future__ import annotations

import json
import os
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client

from accounts import roles

SIZES = (3_000, 5_000)
SEED = 3
ROUNDS = 15
#: Its own database, so that several people can run it at once on one server.
DATABASE_NAME = os.environ.get("BENCH_DATABASE_NAME", "mg_bench_ranking")


def _timed(action, rounds: int) -> dict:
    cpu, wall = [], []
    for _round in range(rounds):
        began_cpu, began = time.process_time(), time.perf_counter()
        action()
        cpu.append((time.process_time() - began_cpu) * 1000)
        wall.append((time.perf_counter() - began) * 1000)
    return {
        "cpu_ms": round(statistics.median(cpu), 2),
        "cpu_ms_best": round(min(cpu), 2),
        "wall_ms": round(statistics.median(wall), 2),
    }


def _get(client: Client, url: str):
    def action():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)

    return action


def _measure(size: int, client: Client) -> dict:
    from bench._ranking_data import generate_call
    from evaluation.results import call_ranking

    began = time.perf_counter()
    call = generate_call(SEED, size)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after bulk writes: real query plans
    report: dict = {"applications": size, "fill_s": round(time.perf_counter() - began, 1)}
    page, api = f"/manage/calls/{call.slug}/ranking/", f"/api/v1/calls/{call.slug}/ranking/"
    report["recompute"] = _timed(lambda: call_ranking(call), 3)
    cache.clear()
    report["first_page"] = _timed(_get(client, page), 1)
    report["page"] = _timed(_get(client, page), ROUNDS)
    report["api"] = _timed(_get(client, api), ROUNDS)
    report["healthz"] = _timed(_get(client, "/healthz"), ROUNDS)
    return report


def main() -> dict:
    from bench._builders import session_cookie, user, with_mfa

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        report = {"benchmark": "evaluation_ranking", "skipped": "needs PostgreSQL (DATABASE_URL)"}
        print(json.dumps(report))
        return report
    database.setdefault("TEST", {})["NAME"] = DATABASE_NAME
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        client = Client(SERVER_NAME="localhost")
        staff = with_mfa(user(roles=(roles.STAFF,)))
        client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie(staff)
        report = {"benchmark": "evaluation_ranking"}
        for size in SIZES:
            report[str(size)] = _measure(size, client)
    finally:
        cache.clear()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps(report))
    return report
