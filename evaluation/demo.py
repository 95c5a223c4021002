"""Demo evaluation (idempotent): MINE.THE.GAP call 1, closed, is checked, assigned, scored
by the four demo evaluators (one divergent proposal settled by consensus), evaluated, and
decided by the Transparency Committee (its three demo members present, two for and one
abstaining), all through the services. The adoption drafts the vouchers (vouchers' receiver).
"""

from decimal import Decimal

from django.db import transaction

from accounts import roles
from accounts.models import User
from calls.models import Application, ApplicationState, Call
from evaluation import demo_results
from evaluation.models import (
    Assignment,
    DecisionSession,
    DecisionState,
    EligibilityCheck,
    EligibilityDecision,
)
from evaluation.services import decision as decision_services
from evaluation.services.assignment import declare_conflict, run_auto_assignment
from evaluation.services.consensus import answer_consensus, open_consensus, propose_consensus
from evaluation.services.eligibility import decide_eligibility, run_eligibility_checks
from evaluation.services.evaluators import accept_declaration, update_evaluator_profile
from evaluation.services.scoring import mark_evaluated, save_scores

CALL_SLUG = "mine-the-gap-open-call-1"
COMMITTEE = ("committee@minegap.eu", "committee2@minegap.eu", "committee3@minegap.eu")
VOTES = ("for", "for", "abstain")
EVALUATORS = {
    # e-mail: (country, employer, main areas, secondary areas, keywords)
    "evaluator@minegap.eu": (
        "IT",
        "Politecnico di Torino",
        ["Digital mining"],
        ["Resource efficiency"],
        "sensors, automation",
    ),
    "evaluator2@minegap.eu": (
        "NL",
        "TNO",
        ["Circular economy"],
        ["Advanced manufacturing"],
        "tailings, recycling",
    ),
    "evaluator3@minegap.eu": (
        "AT",
        "Montanuniversität Leoben",
        ["Resource efficiency"],
        ["Circular economy"],
        "energy, water",
    ),
    "evaluator4@minegap.eu": (
        "BE",
        "VITO",
        ["Advanced manufacturing"],
        ["Digital mining"],
        "3D printing, wear parts",
    ),
}
#: Base (Excellence, Impact, Implementation) by application, in reference order.
BASE_SCORES = [
    ("4.5", "4.5", "4"),
    ("4", "4.5", "4.5"),
    ("4", "3.5", "4"),
    ("3.5", "4", "3.5"),
    ("2.5", "3.5", "3"),
    ("4", "4", "4"),
]
DIVERGENT = 2  # index of the application whose evaluators disagree on Excellence
JUSTIFICATION = (
    "{criterion}: assessed against the call's guide for applicants; the proposal's strengths "
    "and weaknesses on this criterion are reflected in the score of {value}."
)


def _scores(index: int, evaluator_number: int) -> tuple[Decimal, Decimal, Decimal]:
    values = [Decimal(v) for v in BASE_SCORES[index % len(BASE_SCORES)]]
    if index == DIVERGENT:
        values[0] = [Decimal("5"), Decimal("4"), Decimal("2")][evaluator_number % 3]
    elif evaluator_number == 1 and values[2] >= Decimal("0.5"):
        values[2] -= Decimal("0.5")
    return tuple(values)


def _evaluators(call: Call) -> list[User]:
    people = []
    for email, (country, employer, main, secondary, keywords) in EVALUATORS.items():
        user = User.objects.filter(email=email, groups__name=roles.EVALUATOR).first()
        if user is None:
            continue
        update_evaluator_profile(
            user=user,
            country=country,
            employer=None,
            employer_name=employer,
            keywords=keywords,
            max_proposals=10,
            expertise=[("area", a, Decimal("1")) for a in main]
            + [("area", a, Decimal("0.5")) for a in secondary],
        )
        accept_declaration(user=user)
        people.append(user)
    return people


def _score_all(call: Call) -> None:
    applications = list(Application.objects.filter(call=call).order_by("reference"))
    for index, application in enumerate(applications):
        assignments = Assignment.objects.filter(application=application).order_by("evaluator_id")
        for number, assignment in enumerate(assignments):
            declare_conflict(assignment=assignment, actor=assignment.evaluator, conflict=False)
            values = _scores(index, number)
            save_scores(
                assignment=assignment,
                actor=assignment.evaluator,
                scores={
                    criterion.pk: (
                        values[i],
                        JUSTIFICATION.format(criterion=criterion.name, value=values[i]),
                    )
                    for i, criterion in enumerate(call.criteria.order_by("order", "pk"))
                },
                submit=True,
            )


def _consensus(call: Call, staff: User) -> None:
    applications = list(Application.objects.filter(call=call).order_by("reference"))
    if len(applications) <= DIVERGENT:
        return
    application = applications[DIVERGENT]
    evaluators = [
        a.evaluator
        for a in Assignment.objects.filter(application=application).order_by("evaluator_id")
    ]
    consensus = open_consensus(application=application, rapporteur=evaluators[0], actor=staff)
    base = [Decimal(v) for v in BASE_SCORES[DIVERGENT]]
    propose_consensus(
        consensus=consensus,
        actor=evaluators[0],
        scores={
            criterion.pk: (
                base[i],
                "Agreed after discussion: the pilot is credible, the novelty is moderate.",
            )
            for i, criterion in enumerate(call.criteria.order_by("order", "pk"))
        },
        comment="Consensus meeting held online; the Excellence gap came from the state of the art.",
    )
    for evaluator in evaluators[1:]:
        answer_consensus(consensus=consensus, actor=evaluator, agreed=True)


def _decide(call: Call, staff: User, stdout) -> None:
    """The committee's session on the evaluated call, adopted (skipped once adopted)."""
    if DecisionSession.objects.filter(call=call, state=DecisionState.ADOPTED).exists():
        stdout.write("evaluation: demo call already decided.")
        return
    members = [
        User.objects.filter(email=email, groups__name=roles.COMMITTEE).first()
        for email in COMMITTEE
    ]
    members = [m for m in members if m is not None]
    if not members:
        stdout.write("evaluation: no demo committee member, the call is not decided.")
        return
    session = DecisionSession.objects.filter(
        call=call, state__in=DecisionState.active()
    ).first() or decision_services.open_decision_session(call=call, actor=staff, quorum=2)
    if session.state == DecisionState.OPEN:
        decision_services.record_attendance(session=session, actor=staff, present=members)
        decision_services.open_voting(session=session, actor=staff)
    for member, choice in zip(members, VOTES, strict=False):
        decision_services.cast_vote(session=session, member=member, choice=choice)
    session = decision_services.close_session(session=session, actor=staff)
    stdout.write(
        f"evaluation: the committee {session.get_state_display().lower()} the decision on "
        f"{call.code} (hash {session.content_hash[:12]}…)."
    )


def seed(stdout) -> None:
    call = Call.objects.filter(slug=CALL_SLUG).first()
    staff = User.objects.filter(email="staff@minegap.eu").first()
    if call is None or staff is None:
        stdout.write("evaluation: the demo call or staff is missing, skipped.")
        return
    if Assignment.objects.filter(application__call=call).exists():
        stdout.write("evaluation: demo call already evaluated.")
    elif not _evaluate(call, staff, stdout):
        return
    _decide(call, staff, stdout)
    demo_results.seed(stdout)


def _evaluate(call: Call, staff: User, stdout) -> bool:
    with transaction.atomic():
        run_eligibility_checks(call=call, actor=staff)
        for check in EligibilityCheck.objects.filter(
            application__call=call, decision=EligibilityDecision.PENDING
        ).order_by("application__reference"):
            decide_eligibility(
                application=check.application,
                actor=staff,
                decision=EligibilityDecision.ELIGIBLE,
                reason=""
                if check.automatic_passed
                else "Imported from the call run before the platform: checked on paper then.",
            )
        evaluators = _evaluators(call)
        outcome = run_auto_assignment(call=call, actor=staff)
        if outcome.messages:
            stdout.write("evaluation: no feasible assignment: " + " ".join(outcome.messages))
            transaction.set_rollback(True)
            return False
        _score_all(call)
        _consensus(call, staff)
        moved = mark_evaluated(call=call, actor=staff)
    stdout.write(
        f"evaluation: {len(evaluators)} evaluators, {outcome.created} assignments, "
        f"{moved} applications evaluated "
        f"({Application.objects.filter(call=call, state=ApplicationState.EVALUATED).count()})."
    )
    return True
