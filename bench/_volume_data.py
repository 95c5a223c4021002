"""The data set of issue #15, generated from a seed and written in bulk.

One closed call under evaluation with `applications` submitted applications (2-3 members each,
budgets), `evaluators` evaluators sharing the assignments evenly (two per application), scores on
every criterion for `scored` of the assignments; `funded` funded projects in four published calls
(the public side); `profiles` published partner profiles. The issue's volumes are the defaults:
3,000 / 120 (50 assignments each) / 13,800 scores / 10,000 / 4,500. Used by `bench/pages.py`
(at a configurable scale) and by `tests/bench/` at a tiny one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts import roles
from accounts.models import Organisation
from bench import _builders as build
from calls.models import (
    Application,
    ApplicationState,
    ApplicationVersion,
    Call,
    CallState,
    ConsortiumMember,
    MemberStatus,
)
from evaluation.models import Assignment, AssignmentState, ConflictDeclaration, Score
from matchmaking import vocab
from matchmaking.models import PartnerProfile
from public.models import ProjectAward

SEED = 20261207
COUNTRIES = ["FI", "SE", "ES", "PT", "PL", "DE", "FR", "EL", "BG", "IT", "AT", "NL"]
PANEL = 2  # evaluators per application
WORDS = [
    "sensor",
    "ore",
    "sorting",
    "drilling",
    "assay",
    "grade",
    "lidar",
    "tailings",
    "water",
    "recycling",
    "battery",
    "lithium",
    "copper",
    "graphite",
    "safety",
    "ventilation",
    "automation",
    "robotics",
    "digital",
    "twin",
    "hyperspectral",
]


@dataclass(frozen=True)
class Volumes:
    applications: int = 3_000
    evaluators: int = 120
    scores: int = 13_800
    funded: int = 10_000
    profiles: int = 4_500
    rush: int = 200

    def scaled(self, scale: float) -> Volumes:
        def part(value: int, least: int) -> int:
            return max(least, round(value * scale))

        return Volumes(
            applications=part(self.applications, 2),
            evaluators=part(self.evaluators, PANEL),
            scores=part(self.scores, 3),
            funded=part(self.funded, 1),
            profiles=part(self.profiles, 1),
            rush=part(self.rush, 2),
        )


@dataclass
class Generated:
    call: Call
    staff: object
    evaluators: list
    applications: list


def _organisations(rng: random.Random, count: int, prefix: str) -> list[Organisation]:
    return Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"{prefix} SME {n}",
            country=rng.choice(COUNTRIES),
            vat_number=f"{prefix[:2].upper()}{n:09d}",
        )
        for n in range(count)
    )


def _members(rng, application, organisations, *, funded: bool) -> list[ConsortiumMember]:
    chosen = rng.sample(organisations, rng.choice([2, 2, 3]))
    members = []
    for index, organisation in enumerate(chosen):
        amount = Decimal(rng.randint(500_000, 5_000_000)) / 100
        members.append(
            ConsortiumMember(
                application=application,
                organisation=organisation,
                is_lead=index == 0,
                status=MemberStatus.CONFIRMED,
                requested_amount=amount,
                awarded_amount=amount if funded else None,
            )
        )
    return members


def _evaluation_call(rng: random.Random, volumes: Volumes) -> Generated:
    call = build.closed_call(slug="bench-evaluation", code="BENCH-EV", state=CallState.EVALUATING)
    criteria = list(call.criteria.order_by("order"))
    organisations = _organisations(rng, max(3, volumes.applications // 2), "Applicant")
    submitted = call.closes_at - timedelta(days=1)
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            lead_organisation=organisations[n % len(organisations)],
            state=ApplicationState.UNDER_EVALUATION,
            title=f"Benchmark application {n}",
            acronym=f"BEV{n}",
            summary="A submitted application of the benchmark.",
            reference=f"{call.code}-{n:04d}",
            submitted_at=submitted - timedelta(minutes=rng.randrange(600)),
        )
        for n in range(1, volumes.applications + 1)
    )
    call.submission_counter = volumes.applications
    call.save(update_fields=["submission_counter"])
    members = []
    versions = []
    for application in applications:
        rows = _members(rng, application, organisations, funded=False)
        members.extend(rows)
        versions.append(
            ApplicationVersion(
                application=application,
                number=1,
                submitted_at=application.submitted_at,
                snapshot={
                    "title": application.title,
                    "acronym": application.acronym,
                    "summary": application.summary,
                    "members": [
                        {
                            "organisation_id": m.organisation.pk,
                            "legal_name": m.organisation.legal_name,
                            "country": m.organisation.country,
                            "is_lead": m.is_lead,
                            "role": "adopter" if m.is_lead else "provider",
                            "requested_amount": str(m.requested_amount),
                        }
                        for m in rows
                    ],
                    "answers": [],
                    "attachments": [],
                },
            )
        )
    ConsortiumMember.objects.bulk_create(members, batch_size=5000)
    ApplicationVersion.objects.bulk_create(versions, batch_size=2000)
    people = [build.evaluator(country="BG", max_proposals=200) for _ in range(volumes.evaluators)]
    scored_count = min(volumes.scores // len(criteria), PANEL * len(applications))
    scored = set(rng.sample(range(PANEL * len(applications)), scored_count))
    assignments = []
    for index, application in enumerate(applications):
        for seat in range(PANEL):
            number = PANEL * index + seat
            done = number in scored
            assignments.append(
                Assignment(
                    application=application,
                    evaluator=people[number % len(people)],
                    state=AssignmentState.SCORED if done else AssignmentState.ACCEPTED,
                    declaration=ConflictDeclaration.NO_CONFLICT,
                    declared_at=call.closes_at,
                    submitted_at=call.closes_at if done else None,
                )
            )
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    Score.objects.bulk_create(
        (
            Score(
                assignment=assignment,
                criterion=criterion,
                value=Decimal(rng.choice(("2.5", "3", "3.5", "4", "4.5"))),
                justification="Generated justification, long enough to explain the score.",
            )
            for assignment in assignments
            if assignment.state == AssignmentState.SCORED
            for criterion in criteria
        ),
        batch_size=5000,
    )
    staff = build.with_mfa(build.user(roles=(roles.STAFF,), email="bench-staff@example.org"))
    return Generated(call=call, staff=staff, evaluators=people, applications=applications)


def _public_side(rng: random.Random, volumes: Volumes) -> None:
    calls = [
        Call.objects.create(
            title=f"Benchmark funded call {n}",
            slug=f"bench-funded-{n}",
            code=f"BF{n}",
            summary="Benchmark.",
            state=CallState.RESULTS_PUBLISHED,
            total_budget=Decimal("999999999.00"),
            cap_per_project=Decimal("150000.00"),
        )
        for n in range(1, 5)
    ]
    organisations = _organisations(rng, volumes.profiles, "Partner")
    applications = Application.objects.bulk_create(
        Application(
            call=calls[n % len(calls)],
            lead_organisation=organisations[n % len(organisations)],
            state=ApplicationState.FUNDED,
            title=f"Benchmark project {n}",
            acronym=f"BFP{n}",
            summary="A funded project of the benchmark.",
            reference=f"BFP-{n:05d}",
            awarded_on=date(2021, 1, 1) + timedelta(days=n % 900),  # the ProjectAward's below
        )
        for n in range(volumes.funded)
    )
    members = []
    for application in applications:
        members.extend(_members(rng, application, organisations, funded=True))
    ConsortiumMember.objects.bulk_create(members, batch_size=5000)
    start = date(2021, 1, 1)
    ProjectAward.objects.bulk_create(
        (
            ProjectAward(application=a, award_date=start + timedelta(days=n % 900))
            for n, a in enumerate(applications)
        ),
        batch_size=5000,
    )
    now = timezone.now()
    PartnerProfile.objects.bulk_create(
        (
            PartnerProfile(
                organisation=organisation,
                status=PartnerProfile.Status.PUBLISHED,
                published_at=now,
                summary=" ".join(rng.sample(WORDS, 6)),
                role_sought="both",
                stages=rng.sample(list(vocab.Stage.values), rng.randint(1, 3)),
                sectors=rng.sample(list(vocab.Sector.values), rng.randint(1, 2)),
                raw_materials=rng.sample(list(vocab.RawMaterial.values), rng.randint(0, 4)),
                name=organisation.legal_name,
                country=organisation.country,
            )
            for organisation in organisations
        ),
        batch_size=5000,
    )


def _rush_drafts(count: int) -> None:
    """Complete drafts in an open call, one applicant each, built through the services (the
    deadline rush autosaves and submits them)."""
    call = build.call(slug="bench-rush", code="BENCH-RUSH")
    for _n in range(count):
        build.complete_application(call)


def generate(volumes: Volumes, seed: int = SEED) -> Generated:
    rng = random.Random(seed)
    generated = _evaluation_call(rng, volumes)
    _public_side(rng, volumes)
    _rush_drafts(volumes.rush)
    return generated
