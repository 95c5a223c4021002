"""Factories for evaluation: closed calls with submitted applications, evaluators, assignments."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts import roles
from calls import services
from calls.models import (
    Application,
    ApplicationState,
    ApplicationVersion,
    Call,
    CallState,
    MemberRole,
)
from calls.services.applications import snapshot_of
from evaluation.models import (
    Assignment,
    AssignmentState,
    ConflictDeclaration,
    EvaluatorExpertise,
    EvaluatorProfile,
    Score,
)
from tests.calls.factories import CallFactory, MemberFactory, complete_application
from tests.evaluation.conftest import with_mfa
from tests.factories import OrganisationFactory, UserFactory


def closed_call(**kwargs) -> Call:
    now = timezone.now()
    kwargs.setdefault("opens_at", now - timedelta(days=60))
    kwargs.setdefault("closes_at", now - timedelta(days=1))
    kwargs.setdefault("state", CallState.CLOSED)
    kwargs.setdefault("thematic_areas", ["Ore sorting", "Mine safety"])
    return CallFactory(**kwargs)


def submitted_application(
    call: Call,
    *,
    countries: tuple[str, ...] = ("FI", "PT"),
    names: tuple[str, ...] = (),
    state: str = ApplicationState.SUBMITTED,
    title: str = "Sensor-driven ore sorting",
    submitted_at=None,
) -> Application:
    """A submitted application (built directly, not through the wizard) with confirmed,
    declared members: the first is the lead and the adopter; its one submitted version holds
    what it has when built (what the evaluation reads)."""
    organisations = [
        OrganisationFactory(country=country, **({"legal_name": names[i]} if names else {}))
        for i, country in enumerate(countries)
    ]
    call.submission_counter += 1
    call.save(update_fields=["submission_counter"])
    application = Application.objects.create(
        call=call,
        lead_organisation=organisations[0],
        state=state,
        title=title,
        acronym="SENSORT",
        summary="Real-time ore sorting with wireless sensors at a mine.",
        voucher_type=call.voucher_types.first(),
        reference=f"{call.code}-{call.submission_counter:04d}",
        submitted_at=submitted_at or call.closes_at - timedelta(days=2),
    )
    for i, organisation in enumerate(organisations):
        MemberFactory(
            application=application,
            organisation=organisation,
            is_lead=i == 0,
            role=MemberRole.ADOPTER if i == 0 else MemberRole.PROVIDER,
            declaration_signed_at=application.submitted_at,
        )
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        submitted_at=application.submitted_at,
        snapshot=snapshot_of(application),
    )
    return application


def freeze(application: Application) -> None:
    """Make what the application holds now its submitted version (for a test that completes
    it field by field after `submitted_application`)."""
    ApplicationVersion.objects.filter(application=application).update(
        snapshot=snapshot_of(application)
    )


def evaluator(
    *,
    country: str = "SE",
    expertise: dict[str, Decimal] | None = None,
    max_proposals: int = 10,
    declared: bool = True,
    employer=None,
    **user_kwargs,
):
    user = with_mfa(UserFactory(roles=[roles.EVALUATOR], **user_kwargs))
    profile = EvaluatorProfile.objects.create(
        user=user,
        country=country,
        employer=employer,
        max_proposals=max_proposals,
        declaration_accepted_at=timezone.now() if declared else None,
    )
    for name, weight in (expertise or {}).items():
        EvaluatorExpertise.objects.create(profile=profile, kind="area", name=name, weight=weight)
    return user


def accepted_assignment(application: Application, user, **kwargs) -> Assignment:
    return Assignment.objects.create(
        application=application,
        evaluator=user,
        state=AssignmentState.ACCEPTED,
        declaration=ConflictDeclaration.NO_CONFLICT,
        declared_at=timezone.now(),
        **kwargs,
    )


def scored_assignment(application: Application, user, values: dict[str, str]) -> Assignment:
    """An assignment whose scores (by criterion name) are submitted."""
    assignment = accepted_assignment(application, user)
    for criterion in application.call.criteria.all():
        Score.objects.create(
            assignment=assignment,
            criterion=criterion,
            value=Decimal(values[criterion.name]),
            justification="A justification long enough to explain the score given here.",
        )
    assignment.state = AssignmentState.SCORED
    assignment.submitted_at = timezone.now()
    assignment.save()
    return assignment


def really_submitted(call: Call | None = None, *, lead_country: str = "FI") -> Application:
    """An application made and submitted through the calls services, then the call closes."""
    call = call or CallFactory()
    application, lead_admin = complete_application(call, lead_country=lead_country)
    services.submit_application(
        application=application, actor=lead_admin, now=timezone.now() - timedelta(hours=2)
    )
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    application.refresh_from_db()
    application.call.refresh_from_db()
    return application
