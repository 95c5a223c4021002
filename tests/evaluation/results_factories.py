"""A decided call with results, for the publication, ESR and redress tests.

Four applications: A (selected), B (reserve, its evaluators diverged and agreed a consensus),
C (rejected below a threshold) and D (ineligible). Evaluators carry distinctive names, e-mails
and employers (EVALUATOR_NAMES) that must never reach an applicant.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from calls.models import Application, ApplicationState, Call, CallState
from evaluation.models import (
    Consensus,
    ConsensusScore,
    ConsensusState,
    EligibilityCheck,
    EligibilityDecision,
)
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

EVALUATOR_NAMES = (
    "Wilhelmina Quarzbeck",
    "wilhelmina@quarzbeck.example",
    "Quarzbeck Geoconsult GmbH",
    "Bartholomew Zinnwald",
    "bart@zinnwald.example",
    "Zinnwald Institute",
    "Cordelia Feldspath",
    "cordelia@feldspath.example",
)
#: Justification of the n-th evaluator (in assignment order), to check "Evaluator n" labels.
JUSTIFICATION = "Remark {n} on {criterion}: argued clearly, with evidence and a plan."
INELIGIBLE_REASON = "The lead organisation is not an SME under the EU definition."


@dataclass
class DecidedCall:
    call: Call
    selected: Application
    reserve: Application
    rejected: Application
    ineligible: Application
    evaluators: list
    admin: object  # an administrator of the selected application's lead organisation


def _evaluators() -> list:
    people = [
        ("Wilhelmina Quarzbeck", "wilhelmina@quarzbeck.example", "Quarzbeck Geoconsult GmbH"),
        ("Bartholomew Zinnwald", "bart@zinnwald.example", "Zinnwald Institute"),
        ("Cordelia Feldspath", "cordelia@feldspath.example", ""),
    ]
    users = []
    for name, email, employer in people:
        user = evaluator(full_name=name, email=email)
        if employer:
            user.evaluator_profile.employer = OrganisationFactory(legal_name=employer, country="DE")
            user.evaluator_profile.employer_name = employer
            user.evaluator_profile.save()
        users.append(user)
    return users


def _score(application, users, sheets):
    for n, (user, values) in enumerate(zip(users, sheets, strict=True), start=1):
        assignment = scored_assignment(application, user, dict(zip(CRITERIA, values, strict=True)))
        for score in assignment.scores.select_related("criterion"):
            score.justification = JUSTIFICATION.format(n=n, criterion=score.criterion.name)
            score.save()


CRITERIA = ("Excellence", "Impact", "Implementation")


def decided_call(**call_kwargs) -> DecidedCall:
    call = closed_call(total_budget=Decimal("40000.00"), **call_kwargs)
    users = _evaluators()
    state = ApplicationState.UNDER_EVALUATION
    selected = submitted_application(call, state=state, title="Selected project")
    reserve = submitted_application(call, state=state, title="Reserve project")
    rejected = submitted_application(call, state=state, title="Rejected project")
    ineligible = submitted_application(
        call, state=ApplicationState.INELIGIBLE, title="Ineligible project"
    )
    _score(selected, users, [("4.5", "4.5", "4"), ("4", "4.5", "4.5"), ("4.5", "5", "4")])
    _score(reserve, users, [("4", "4", "4"), ("2", "4", "4"), ("4", "4", "4")])
    _score(rejected, users, [("2.5", "3", "3"), ("2", "3", "3"), ("2.5", "3.5", "3")])
    consensus = Consensus.objects.create(
        application=reserve,
        rapporteur=users[0],
        state=ConsensusState.CONCLUDED,
        concluded_at=timezone.now(),
    )
    for criterion in call.criteria.all():
        ConsensusScore.objects.create(
            consensus=consensus,
            criterion=criterion,
            value=Decimal("3.5") if criterion.name == "Excellence" else Decimal("4"),
            comment=f"Agreed comment on {criterion.name}: solid, with gaps in the plan.",
        )
    EligibilityCheck.objects.create(
        application=ineligible,
        computed_at=timezone.now(),
        automatic_passed=False,
        decision=EligibilityDecision.INELIGIBLE,
        reason=INELIGIBLE_REASON,
        decided_by=UserFactory(),
        decided_at=timezone.now(),
    )
    for application, outcome in (
        (selected, ApplicationState.SELECTED),
        (reserve, ApplicationState.RESERVE),
        (rejected, ApplicationState.REJECTED),
    ):
        Application.objects.filter(pk=application.pk).update(state=outcome)
        application.refresh_from_db()
    Call.objects.filter(pk=call.pk).update(state=CallState.DECIDED)
    call.refresh_from_db()
    admin = UserFactory(full_name="Ada Applicant")
    MembershipFactory(user=admin, organisation=selected.lead_organisation)
    return DecidedCall(call, selected, reserve, rejected, ineligible, users, admin)
