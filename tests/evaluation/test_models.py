"""Database constraints of the evaluation models."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from evaluation.models import (
    Assignment,
    AssignmentState,
    ConflictDeclaration,
    EligibilityCheck,
    EligibilityDecision,
    EvaluatorExpertise,
    Score,
)
from tests.auth import sign_in
from tests.evaluation.factories import (
    accepted_assignment,
    closed_call,
    evaluator,
    submitted_application,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fails(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_an_evaluator_is_assigned_once_per_application():
    application = submitted_application(closed_call())
    user = evaluator()
    Assignment.objects.create(application=application, evaluator=user)
    assert _fails(lambda: Assignment.objects.create(application=application, evaluator=user))


def test_accepting_needs_a_no_conflict_declaration():
    application = submitted_application(closed_call())
    user = evaluator()
    assert _fails(
        lambda: Assignment.objects.create(
            application=application, evaluator=user, state=AssignmentState.ACCEPTED
        )
    )
    assert _fails(
        lambda: Assignment.objects.create(
            application=application,
            evaluator=user,
            state=AssignmentState.PROPOSED,
            declaration=ConflictDeclaration.CONFLICT,
            declared_at=timezone.now(),
        )
    )


def test_scored_if_and_only_if_submitted():
    application = submitted_application(closed_call())
    assignment = accepted_assignment(application, evaluator())
    assignment.submitted_at = timezone.now()
    assert _fails(assignment.save)


def test_one_score_per_criterion_and_not_negative():
    call = closed_call()
    assignment = accepted_assignment(submitted_application(call), evaluator())
    criterion = call.criteria.first()
    text = "x" * 60
    assert _fails(
        lambda: Score.objects.create(
            assignment=assignment, criterion=criterion, value=Decimal("-0.5"), justification=text
        )
    )
    Score.objects.create(
        assignment=assignment, criterion=criterion, value=Decimal("3.5"), justification=text
    )
    assert _fails(
        lambda: Score.objects.create(
            assignment=assignment, criterion=criterion, value=Decimal("4"), justification=text
        )
    )


def test_ineligible_decision_needs_reason_and_decider():
    application = submitted_application(closed_call())
    staff_user = evaluator()
    assert _fails(
        lambda: EligibilityCheck.objects.create(
            application=application,
            computed_at=timezone.now(),
            automatic_passed=False,
            decision=EligibilityDecision.INELIGIBLE,
            decided_by=staff_user,
            decided_at=timezone.now(),
        )
    )
    assert _fails(
        lambda: EligibilityCheck.objects.create(
            application=application,
            computed_at=timezone.now(),
            automatic_passed=True,
            decision=EligibilityDecision.ELIGIBLE,
        )
    )


def test_expertise_weight_is_within_zero_and_one():
    user = evaluator()
    assert _fails(
        lambda: EvaluatorExpertise.objects.create(
            profile=user.evaluator_profile, kind="area", name="Ore", weight=Decimal("1.5")
        )
    )


def test_admin_is_read_only_for_superusers(client):
    admin_user = UserFactory(is_superuser=True, is_staff=True)
    sign_in(client, admin_user)
    assert client.get("/admin/evaluation/assignment/").status_code == 200
    assert client.get("/admin/evaluation/assignment/add/").status_code == 403
    sign_in(client, UserFactory(is_staff=True))
    assert client.get("/admin/evaluation/assignment/").status_code == 403
