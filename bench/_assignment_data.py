"""The automatic assignment's data set in the database: the solver benchmark's seeded problem
(`bench.evaluation_assignment.generate`: 2,000 proposals, 300 evaluators, 3 each) written as what
`evaluation.services.assignment.build_problem` reads back: a closed call whose thematic areas are
the problem's areas, eligible applications with their members and one submitted version whose
title names the proposal's areas and value-chain stages, evaluators (the evaluators' group, a
profile with the declaration accepted, expertise weights, an employer), and the problem's
forbidden pairs as declined assignments. Bulk creation (the volume is the point); no import from
`tests/`."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.models import Organisation, User
from calls.models import (
    Application,
    ApplicationState,
    ApplicationVersion,
    Call,
    CallState,
    ConsortiumMember,
    MemberRole,
    MemberStatus,
)
from evaluation.assignment import AssignmentProblem
from evaluation.models import (
    Assignment,
    AssignmentState,
    ConflictDeclaration,
    EvaluatorExpertise,
    EvaluatorProfile,
    ExpertiseKind,
    ValueChainStage,
)

STAGES = set(ValueChainStage.values)
BATCH = 2000


def _kind(tag: str) -> str:
    return ExpertiseKind.STAGE if tag in STAGES else ExpertiseKind.AREA


def write_problem(problem: AssignmentProblem, areas: list[str], slug: str) -> Call:
    """Write `problem` into the (migrated) database; returns its call, ready for the service.
    Materials (neither an area of the call nor a stage) are not written: the tagger could not
    find them in a text either."""
    now = timezone.now()
    call = Call.objects.create(
        title="Benchmark assignment call",
        slug=slug,
        code=f"BA{slug[-6:]}",
        summary="Benchmark.",
        state=CallState.EVALUATING,
        thematic_areas=list(areas),
        total_budget=Decimal("999999999.00"),
        cap_per_project=Decimal("150000.00"),
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=1),
        evaluators_per_proposal=max(p.reviewers for p in problem.proposals),
    )
    organisation_ids = sorted(
        {o for p in problem.proposals for o in p.organisation_ids}
        | {e.employer_id for e in problem.evaluators if e.employer_id is not None}
    )
    countries = {}
    for proposal in problem.proposals:  # each member takes one of its proposal's countries
        ordered = sorted(proposal.countries)
        for index, organisation in enumerate(sorted(proposal.organisation_ids)):
            countries.setdefault(organisation, ordered[index % len(ordered)])
    organisations = {
        o.vat_number: o
        for o in Organisation.objects.bulk_create(
            (
                Organisation(
                    legal_name=f"Assignment SME {n}",
                    country=countries.get(n, "FI"),
                    vat_number=f"BA{n:09d}",
                )
                for n in organisation_ids
            ),
            batch_size=BATCH,
        )
    }
    by_number = {n: organisations[f"BA{n:09d}"] for n in organisation_ids}
    applications = Application.objects.bulk_create(
        (
            Application(
                call=call,
                lead_organisation=by_number[min(p.organisation_ids)],
                state=ApplicationState.ELIGIBLE,
                title=f"Proposal on {' and '.join(sorted(p.expertise))}",
                acronym=f"BA{p.id}",
                summary="A submitted application of the assignment benchmark.",
                reference=f"{call.code}-{p.id:04d}",
                submitted_at=call.closes_at - timedelta(hours=1),
            )
            for p in problem.proposals
        ),
        batch_size=BATCH,
    )
    members, versions = [], []
    for proposal, application in zip(problem.proposals, applications, strict=True):
        rows = [
            ConsortiumMember(
                application=application,
                organisation=by_number[o],
                is_lead=index == 0,
                role=MemberRole.ADOPTER if index == 0 else MemberRole.PROVIDER,
                status=MemberStatus.CONFIRMED,
                requested_amount=Decimal("20000.00"),
            )
            for index, o in enumerate(sorted(proposal.organisation_ids))
        ]
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
                            "role": m.role,
                            "requested_amount": str(m.requested_amount),
                        }
                        for m in rows
                    ],
                    "answers": [],
                    "attachments": [],
                },
            )
        )
    ConsortiumMember.objects.bulk_create(members, batch_size=BATCH)
    ApplicationVersion.objects.bulk_create(versions, batch_size=BATCH)
    users = User.objects.bulk_create(
        (
            User(
                email=f"assignment-evaluator-{e.id}@example.org",
                full_name=e.label,
                password=make_password(None),
            )
            for e in problem.evaluators
        ),
        batch_size=BATCH,
    )
    group, _created = Group.objects.get_or_create(name=roles.EVALUATOR)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u.pk, group_id=group.pk) for u in users
    )
    profiles = EvaluatorProfile.objects.bulk_create(
        EvaluatorProfile(
            user=user,
            country=e.country,
            employer=by_number.get(e.employer_id),
            max_proposals=e.max_load,
            declaration_accepted_at=now,
        )
        for e, user in zip(problem.evaluators, users, strict=True)
    )
    EvaluatorExpertise.objects.bulk_create(
        (
            EvaluatorExpertise(profile=profile, kind=_kind(tag), name=tag, weight=weight)
            for e, profile in zip(problem.evaluators, profiles, strict=True)
            for tag, weight in e.expertise.items()
            if tag in STAGES or tag in areas
        ),
        batch_size=BATCH,
    )
    application_of = {p.id: a for p, a in zip(problem.proposals, applications, strict=True)}
    user_of = {e.id: u for e, u in zip(problem.evaluators, users, strict=True)}
    Assignment.objects.bulk_create(
        (
            Assignment(
                application=application_of[p],
                evaluator=user_of[e],
                state=AssignmentState.DECLINED,
                declaration=ConflictDeclaration.CONFLICT,
                declared_at=now,
            )
            for p, e in sorted(problem.forbidden)
        ),
        batch_size=BATCH,
    )
    return call
