"""Benchmark: the public projects list and stats APIs with 10,000 funded projects (PostgreSQL).

Creates its own database ``mg_bench_public`` the way Django's test runner does (created,
migrated, dropped at the end), fills it with 10,000 funded projects of 2-3 SMEs each in 4 calls,
and measures the median and 95th percentile latency of `GET /api/v1/public/projects/` and
`GET /api/v1/public/stats/`, both with an empty cache (the database path) and cached, plus the
queries per request. Prints one JSON line. Skips cleanly (JSON with "skipped") unless
DATABASE_URL points at PostgreSQL. ``python -m bench public_listing`` runs it alone (Django is
set up by `bench/__main__.py` before this module is imported).
"""

from __future__ import annotations

import json
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from accounts.models import Organisation
from calls.models import (
    Application,
    ApplicationState,
    Call,
    CallState,
    ConsortiumMember,
    MemberStatus,
)
from matchmaking import vocab
from matchmaking.models import PartnerProfile
from public.models import ProjectAward

DATABASE_NAME = "mg_bench_public"
PROJECTS = 10_000
CALLS = 4
ORGANISATIONS = 4_000
ROUNDS = 30
SEED = 20261123
COUNTRIES = ["FI", "SE", "ES", "PT", "PL", "DE", "FR", "GR", "BG", "IT", "AT", "NL"]
URLS = {
    "projects_list": "/api/v1/public/projects/",
    "projects_list_filtered": "/api/v1/public/projects/?country=FI&sort=-amount",
    "projects_list_by_facets": "/api/v1/public/projects/?stage=processing&crm=cobalt",
    "beneficiaries_list": "/api/v1/public/beneficiaries/",
    "figures_page": "/figures/",
    "stats": "/api/v1/public/stats/",
}


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _fill() -> None:
    rng = random.Random(SEED)
    calls = [
        Call.objects.create(
            title=f"Benchmark call {n}",
            slug=f"bench-call-{n}",
            code=f"BC{n}",
            summary="Benchmark.",
            state=CallState.RESULTS_PUBLISHED,
            total_budget=Decimal("999999999.00"),
            cap_per_project=Decimal("150000.00"),
        )
        for n in range(1, CALLS + 1)
    ]
    organisations = Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"Benchmark SME {n}",
            country=rng.choice(COUNTRIES),
            vat_number=f"X{n:09d}",
        )
        for n in range(ORGANISATIONS)
    )
    applications = Application.objects.bulk_create(
        Application(
            call=calls[n % CALLS],
            lead_organisation=organisations[n % ORGANISATIONS],
            state=ApplicationState.FUNDED,
            title=f"Benchmark project {n}",
            acronym=f"BENCH{n}",
            summary="A funded project of the benchmark.",
            reference=f"BENCH-{n:05d}",
        )
        for n in range(PROJECTS)
    )
    members = []
    for application in applications:
        for index, organisation in enumerate(rng.sample(organisations, rng.choice([2, 2, 3]))):
            amount = Decimal(rng.randint(500_000, 5_000_000)) / 100
            members.append(
                ConsortiumMember(
                    application=application,
                    organisation=organisation,
                    is_lead=index == 0,
                    status=MemberStatus.CONFIRMED,
                    requested_amount=amount,
                    awarded_amount=amount,
                )
            )
    ConsortiumMember.objects.bulk_create(members, batch_size=5000)
    start = date(2021, 1, 1)
    ProjectAward.objects.bulk_create(
        ProjectAward(application=a, award_date=start + timedelta(days=n % 900))
        for n, a in enumerate(applications)
    )
    # Two SMEs in three publish a partner profile: stages, sectors and materials for the filters
    # and the figures' charts.
    now = timezone.now()
    PartnerProfile.objects.bulk_create(
        PartnerProfile(
            organisation=organisation,
            status=PartnerProfile.Status.PUBLISHED,
            published_at=now,
            summary="Benchmark profile.",
            role_sought="both",
            stages=rng.sample(list(vocab.Stage.values), rng.randint(1, 3)),
            sectors=rng.sample(list(vocab.Sector.values), rng.randint(1, 2)),
            raw_materials=rng.sample(list(vocab.RawMaterial.values), rng.randint(0, 4)),
            name=organisation.legal_name,
            country=organisation.country,
        )
        for organisation in organisations
        if rng.random() < 2 / 3
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _measure(client: Client, url: str, *, cached: bool) -> dict:
    timings, queries = [], 0
    client.get(url)  # warm up
    for _round in range(ROUNDS):
        if not cached:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        queries = len(captured.captured_queries)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        "queries": queries,
    }


def main() -> dict:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        report = {"benchmark": "public_listing", "skipped": "needs PostgreSQL (DATABASE_URL)"}
        print(json.dumps(report))
        return report
    database.setdefault("TEST", {})["NAME"] = DATABASE_NAME
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        began = time.perf_counter()
        _fill()
        fill_seconds = round(time.perf_counter() - began, 1)
        client = Client(SERVER_NAME="localhost")
        report: dict = {"benchmark": "public_listing", "projects": PROJECTS, "rounds": ROUNDS}
        with mock.patch.object(AnonRateThrottle, "allow_request", return_value=True):
            for name, url in URLS.items():
                report[name] = _measure(client, url, cached=False)
                report[f"{name}_cached"] = _measure(client, url, cached=True)
        report["fill_seconds"] = fill_seconds
    finally:
        cache.clear()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps(report))
    return report
