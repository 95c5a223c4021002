"""Scoring: drafts, submission and lock, reopening, others' scores, the evaluator's list."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from calls.models import ApplicationState
from evaluation.models import Assignment, AssignmentState, CallEvaluationSettings, Score
from evaluation.services.scoring import reopen_scores, save_scores
from minegap.ledger.models import AuditEntry
from tests.auth import sign_in
from tests.evaluation.factories import (
    accepted_assignment,
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)

pytestmark = pytest.mark.django_db
TEXT = "The work plan is realistic and the partners bring the skills the project needs."


def _setup():
    call = closed_call()
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    user = evaluator()
    criteria = {c.name: c.pk for c in call.criteria.all()}
    return application, accepted_assignment(application, user), user, criteria


def test_a_draft_keeps_what_is_valid_and_reports_the_rest():
    _application, assignment, user, criteria = _setup()
    with pytest.raises(ValidationError) as error:
        save_scores(
            assignment=assignment,
            actor=user,
            scores={
                criteria["Excellence"]: ("4.5", TEXT),
                criteria["Impact"]: ("3.2", TEXT),
            },
        )
    assert error.value.message_dict == {
        str(criteria["Impact"]): ["Scores go in half points (e.g. 3 or 3.5)."]
    }
    assert list(Score.objects.values_list("criterion_id", "value")) == [
        (criteria["Excellence"], Decimal("4.5"))
    ]
    assert AuditEntry.objects.filter(action="evaluation.scores.submitted").count() == 0


def test_submission_needs_every_criterion_then_locks():
    _application, assignment, user, criteria = _setup()
    with pytest.raises(ValidationError) as error:
        save_scores(
            assignment=assignment,
            actor=user,
            scores={criteria["Excellence"]: ("4", TEXT), criteria["Impact"]: ("3", "Too short")},
            submit=True,
        )
    assert sorted(error.value.message_dict) == sorted(
        [str(criteria["Impact"]), str(criteria["Implementation"])]
    )
    assert Score.objects.count() == 0
    save_scores(
        assignment=assignment,
        actor=user,
        scores=dict.fromkeys(criteria.values(), ("3.5", TEXT)),
        submit=True,
    )
    assignment.refresh_from_db()
    assert (assignment.state, assignment.is_locked) == (AssignmentState.SCORED, True)
    entry = AuditEntry.objects.get(action="evaluation.scores.submitted")
    assert entry.data["scores"] == {"Excellence": "3.5", "Impact": "3.5", "Implementation": "3.5"}
    with pytest.raises(ValidationError):
        save_scores(assignment=assignment, actor=user, scores={criteria["Impact"]: ("5", TEXT)})
    assert Score.objects.get(criterion_id=criteria["Impact"]).value == Decimal("3.5")


def test_scores_above_the_maximum_and_other_peoples_assignments_are_refused():
    _application, assignment, user, criteria = _setup()
    with pytest.raises(ValidationError) as error:
        save_scores(assignment=assignment, actor=user, scores={criteria["Impact"]: ("5.5", TEXT)})
    assert error.value.message_dict == {
        str(criteria["Impact"]): ["A score must be between 0 and 5."]
    }
    with pytest.raises(PermissionDenied):
        save_scores(assignment=assignment, actor=evaluator(), scores={})


def test_staff_reopen_with_a_reason(staff):
    application, _a, _u, _c = _setup()
    done = scored_assignment(
        application, evaluator(), {"Excellence": "4", "Impact": "4", "Implementation": "4"}
    )
    with pytest.raises(ValidationError):
        reopen_scores(assignment=done, actor=staff, reason="short")
    with pytest.raises(PermissionDenied):
        reopen_scores(assignment=done, actor=done.evaluator, reason="I changed my mind today")
    reopen_scores(assignment=done, actor=staff, reason="Typo reported by the evaluator.")
    done.refresh_from_db()
    assert (done.state, done.submitted_at) == (AssignmentState.ACCEPTED, None)
    entry = AuditEntry.objects.get(action="evaluation.scores.reopened")
    # The reason is the staff member's text: an erasable note, its salted digest in the chain.
    assert sorted(entry.data) == ["application", "notes_sha256"]
    assert entry.data["application"] == application.pk
    assert entry.notes == {"reason": "Typo reported by the evaluator."}


def test_others_scores_only_after_submitting_ones_own(client):
    application, assignment, user, criteria = _setup()
    scored_assignment(
        application, evaluator(), {"Excellence": "1", "Impact": "1.5", "Implementation": "1"}
    )
    sign_in(client, user)
    url = reverse("evaluation:assignment", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert "Evaluator 1" not in page
    data = {"action": "submit"}
    for pk in criteria.values():
        data[f"score-{pk}"] = "4"
        data[f"justification-{pk}"] = TEXT
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert page.count("<h3>Evaluator 1</h3>") == 1
    assert "Impact: 1.5 — A justification long enough" in page


def test_scoring_form_shows_errors_per_criterion(client):
    _application, assignment, user, criteria = _setup()
    sign_in(client, user)
    url = reverse("evaluation:assignment", args=[assignment.pk])
    response = client.post(
        url,
        {
            "action": "submit",
            f"score-{criteria['Excellence']}": "4.2",
            f"justification-{criteria['Excellence']}": TEXT,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<ul class="errorlist">') == 3
    assert "Scores go in half points (e.g. 3 or 3.5)." in page
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.ACCEPTED


@pytest.mark.parametrize("count", [1, 3])
def test_evaluator_list_query_count(client, django_assert_num_queries, count):
    call = closed_call(blind_evaluation=True)
    user = evaluator()
    for _ in range(count):
        accepted_assignment(
            submitted_application(call, state=ApplicationState.UNDER_EVALUATION), user
        )
    sign_in(client, user)
    url = reverse("evaluation:evaluator-home")
    client.get(url)
    # 10 until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.decode().count("/evaluate/assignments/") == count


def test_sharing_scores_can_be_turned_off(client):
    application, assignment, user, criteria = _setup()
    CallEvaluationSettings.objects.create(
        call=application.call, share_scores_after_submission=False
    )
    scored_assignment(
        application, evaluator(), {"Excellence": "1", "Impact": "1.5", "Implementation": "1"}
    )
    save_scores(
        assignment=assignment,
        actor=user,
        scores=dict.fromkeys(criteria.values(), ("4", TEXT)),
        submit=True,
    )
    sign_in(client, user)
    page = client.get(reverse("evaluation:assignment", args=[assignment.pk])).content.decode()
    assert ("Submitted and locked" in page, "Evaluator 1" in page) == (True, False)
