"""A call of many evaluated applications for `bench/evaluation_ranking.py`, generated from a seed
and written in bulk with `bench._builders` (the bench imports nothing from `tests/`).

The same shape as the ranking tests' generated calls (`tests/evaluation/generated_calls.py`):
scores drawn from few half points (ties on every step of the chain), countries from four,
submission times from three minutes; some applications miss a sheet (pending), some diverge
(settled by a concluded consensus, by an additional evaluator, or left open); the call's rules
(chain, budget, settlement) vary with the seed.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from bench import _builders as build
from calls.models import Application, ApplicationState, ApplicationVersion, Call
from evaluation.models import (
    Assignment,
    AssignmentState,
    ConflictDeclaration,
    Consensus,
    ConsensusScore,
    ConsensusState,
    Score,
)

COUNTRIES = ("FI", "SE", "PT", "ES")
#: Close scores, so that rounded means and weighted totals tie often.
CALM = ("3", "3.5", "4", "4.5")
LOW = ("2", "2.5")
CHAINS = (
    ["criterion:Impact", "criterion:Excellence", "geographic_diversity", "submitted_at"],
    ["submitted_at"],
    ["geographic_diversity", "criterion:Implementation"],
    [],
)
PANEL = 2  # evaluators per application


def _version(application: Application, rng: random.Random, organisations) -> ApplicationVersion:
    countries = rng.sample(COUNTRIES, rng.randint(1, 3))
    return ApplicationVersion(
        application=application,
        number=1,
        submitted_at=application.submitted_at,
        snapshot={
            "title": application.title,
            "acronym": application.acronym,
            "summary": application.summary,
            "members": [
                {
                    "organisation_id": organisations[country].pk,
                    "legal_name": organisations[country].legal_name,
                    "country": country,
                    "is_lead": i == 0,
                    "role": "adopter" if i == 0 else "provider",
                    "requested_amount": f"{rng.choice((10_000, 20_000, 30_000))}.00",
                }
                for i, country in enumerate(countries)
            ],
            "answers": [],
            "attachments": [],
        },
    )


def generate_call(seed: int, count: int) -> Call:
    """A closed call of `count` applications under evaluation, each with two evaluators."""
    rng = random.Random(seed)
    settlement = ("consensus", "extra_evaluator", "either")[seed % 3]
    call = build.closed_call(
        slug=f"bench-ranking-{seed}-{count}",
        code=f"RANK{seed}-{count}",
        total_budget=Decimal(rng.choice((100_000, 400_000, 2_000_000))),
        tie_break_chain=CHAINS[seed % len(CHAINS)],
        evaluators_per_proposal=PANEL,
        divergence_settlement=settlement,
        extra_evaluator_rule=""
        if settlement == "consensus"
        else ("median", "two_closest")[seed % 2],
    )
    criteria = list(call.criteria.order_by("order"))
    evaluators = [build.evaluator(country="BG") for _ in range(PANEL + 1)]
    organisations = {c: build.organisation(country=c) for c in COUNTRIES}
    closes = call.closes_at
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            lead_organisation=organisations["FI"],
            state=ApplicationState.UNDER_EVALUATION,
            title=f"Generated project {n}",
            acronym=f"GEN{n}",
            summary="A generated application for the ranking at volume.",
            reference=f"{call.code}-{n:04d}",
            submitted_at=closes - timedelta(days=1, minutes=rng.randrange(3)),
        )
        for n in range(1, count + 1)
    )
    call.submission_counter = count
    call.save(update_fields=["submission_counter"])
    versions, assignments, sheets, by_consensus = [], [], [], []

    def assign(application, person, values) -> None:
        assignments.append(
            Assignment(
                application=application,
                evaluator=person,
                state=AssignmentState.SCORED if values else AssignmentState.ACCEPTED,
                declaration=ConflictDeclaration.NO_CONFLICT,
                declared_at=closes,
                submitted_at=closes if values else None,
            )
        )
        if values:
            sheets.append((len(assignments) - 1, values))

    for application in applications:
        versions.append(_version(application, rng, organisations))
        kind = rng.random()
        base = [rng.choice(LOW if rng.random() < 0.15 else CALM) for _ in criteria]
        values = [list(base) for _ in range(PANEL)]
        missing = kind < 0.05
        if 0.05 <= kind < 0.15:  # 3.5 against 0.5 on the first criterion: over the 2 points
            values[0][0], values[-1][0] = "3.5", "0.5"
        for i, person in enumerate(evaluators[:PANEL]):
            assign(application, person, None if missing and i == PANEL - 1 else values[i])
        if missing or not 0.05 <= kind < 0.15:
            continue
        way = rng.random()
        if way < 0.4 and call.divergence_by_consensus:
            by_consensus.append(application)
        elif way < 0.8 and call.divergence_by_extra_evaluator:
            assign(application, evaluators[PANEL], [rng.choice(CALM) for _ in criteria])
    ApplicationVersion.objects.bulk_create(versions)
    Assignment.objects.bulk_create(assignments)
    Score.objects.bulk_create(
        Score(
            assignment=assignments[index],
            criterion=criterion,
            value=Decimal(value),
            justification="Generated justification, long enough to explain the score.",
        )
        for index, values in sheets
        for criterion, value in zip(criteria, values, strict=True)
    )
    consensus_rows = Consensus.objects.bulk_create(
        Consensus(
            application=a,
            rapporteur=evaluators[0],
            state=ConsensusState.CONCLUDED,
            comment="Agreed after discussion.",
            proposed_at=timezone.now(),
            concluded_at=timezone.now(),
        )
        for a in by_consensus
    )
    ConsensusScore.objects.bulk_create(
        ConsensusScore(
            consensus=consensus,
            criterion=criterion,
            value=Decimal(rng.choice(CALM)),
            comment="Agreed.",
        )
        for consensus in consensus_rows
        for criterion in criteria
    )
    return call
