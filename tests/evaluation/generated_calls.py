"""Calls with many evaluated applications, generated from a seed and written in bulk.

For the ranking at volume: the stored pages, the frozen orders of `data/ranking_orders.json`
and the timing script `bench/evaluation_ranking.py`. Everything follows from the seed: scores
are drawn from few half points (ties on every step of the chain), countries from four,
submission times from three minutes; some applications miss a sheet (pending), some diverge
(settled by a concluded consensus, by an additional evaluator, or left open), and the call's
rules (chain, budget, settlement) vary with the seed. `Generated.expected_pending` says, from
the generation alone, which applications cannot be ranked.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

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
from tests.evaluation.factories import closed_call, evaluator
from tests.factories import OrganisationFactory

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


@dataclass
class Generated:
    call: Call
    #: Suffix of the reference (``0001``...) -> the application.
    applications: dict[str, Application] = field(default_factory=dict)
    #: References whose sheets are missing or whose divergence nothing settles.
    expected_pending: set[str] = field(default_factory=set)


def generate_call(seed: int, count: int, *, panel: int = 2) -> Generated:
    """A closed call of `count` applications under evaluation, each with `panel` evaluators."""
    rng = random.Random(seed)
    settlement = ("consensus", "extra_evaluator", "either")[seed % 3]
    call = closed_call(
        total_budget=Decimal(rng.choice((100_000, 400_000, 2_000_000))),
        tie_break_chain=CHAINS[seed % len(CHAINS)],
        evaluators_per_proposal=panel,
        divergence_settlement=settlement,
        extra_evaluator_rule=""
        if settlement == "consensus"
        else ("median", "two_closest")[seed % 2],
    )
    criteria = list(call.criteria.order_by("order"))
    evaluators = [evaluator(country="BG") for _ in range(panel + 1)]
    organisations = {c: OrganisationFactory(country=c) for c in COUNTRIES}
    closes = call.closes_at
    applications = []
    for n in range(1, count + 1):
        applications.append(
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
        )
    Application.objects.bulk_create(applications)
    call.submission_counter = count
    call.save(update_fields=["submission_counter"])
    generated = Generated(call=call)
    versions, assignments, sheets, by_consensus = [], [], [], []
    for application in applications:
        suffix = application.reference.rsplit("-", 1)[1]
        generated.applications[suffix] = application
        countries = rng.sample(COUNTRIES, rng.randint(1, 3))
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
        )
        kind = rng.random()
        base = [rng.choice(LOW if rng.random() < 0.15 else CALM) for _ in criteria]
        values = [list(base) for _ in range(panel)]
        missing = kind < 0.05
        diverges = 0.05 <= kind < 0.15
        if diverges:  # 3.5 against 0.5 on the first criterion: a gap over the call's 2 points
            values[0][0] = "3.5"
            values[-1][0] = "0.5"
        for i, person in enumerate(evaluators[:panel]):
            scored = not (missing and i == panel - 1)
            assignments.append(
                Assignment(
                    application=application,
                    evaluator=person,
                    state=AssignmentState.SCORED if scored else AssignmentState.ACCEPTED,
                    declaration=ConflictDeclaration.NO_CONFLICT,
                    declared_at=closes,
                    submitted_at=closes if scored else None,
                )
            )
            if scored:
                sheets.append((len(assignments) - 1, values[i]))
        if missing:
            generated.expected_pending.add(suffix)
        elif diverges:
            way = rng.random()
            if way < 0.4 and call.divergence_by_consensus:
                by_consensus.append(application)
            elif way < 0.8 and call.divergence_by_extra_evaluator:
                extra = [rng.choice(CALM) for _ in criteria]
                assignments.append(
                    Assignment(
                        application=application,
                        evaluator=evaluators[panel],
                        state=AssignmentState.SCORED,
                        declaration=ConflictDeclaration.NO_CONFLICT,
                        declared_at=closes,
                        submitted_at=closes,
                    )
                )
                sheets.append((len(assignments) - 1, extra))
            else:
                generated.expected_pending.add(suffix)
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
    return generated
