"""The automatic assignment run by a Celery task: asked on the staff page, polled, its outcome
kept on the run; one run at a time per call, a lost one given up."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from calls.models import ApplicationState
from evaluation.models import Assignment, AssignmentRun, AssignmentRunStatus
from evaluation.services.assignment import perform_assignment_run, run_auto_assignment
from evaluation.services.assignment_runs import request_auto_assignment
from minegap.ledger.models import AuditEntry
from tests.evaluation.factories import closed_call, evaluator, submitted_application

pytestmark = pytest.mark.django_db


def _eligible(call, **kwargs):
    return submitted_application(call, state=ApplicationState.ELIGIBLE, **kwargs)


def test_staff_ask_on_the_page_and_see_how_far_it_is_then_what_came_of_it(staff_client):
    call = closed_call(evaluators_per_proposal=1)
    application = _eligible(call, title="Ore sorting at the plant")
    expert = evaluator(country="SE", expertise={"Ore sorting": Decimal("1")})
    page_url = reverse("evaluation:assignments", args=[call.slug])

    staff_client.post(page_url)  # the task is queued after the commit (not run here)

    run = AssignmentRun.objects.get(call=call)
    run_url = reverse("evaluation:assignment-run", args=[call.slug, run.pk])
    page = staff_client.get(page_url).content.decode()
    assert f'hx-get="{run_url}" hx-trigger="every 2s"' in page
    assert "Waiting to start" in page
    assert "Waiting for a worker" in page
    assert '<progress id="assignment-run-progress" max="3" value="0">' in page
    assert Assignment.objects.filter(application=application).count() == 0

    assert perform_assignment_run(run_id=run.pk) == run  # what the task does

    fragment = staff_client.get(run_url)
    html = fragment.content.decode()
    assert "hx-trigger" not in html
    # The proposal's one tag (its title names the call's area) is the expert's, at weight 1.
    assert "1 assignment made (total match 100)." in html
    assert f'<a href="{page_url}">Show the assignments</a>' in html
    assert "no-cache" in fragment["Cache-Control"]
    assert list(Assignment.objects.values_list("application", "evaluator")) == [
        (application.pk, expert.pk)
    ]
    run.refresh_from_db()
    assert (run.status, run.created, run.total_match, run.problems) == ("done", 1, 100, [])
    assert run.finished_at is not None


def test_the_run_goes_on_after_the_commit_when_a_worker_takes_it(
    staff_client, django_capture_on_commit_callbacks
):
    call = closed_call(evaluators_per_proposal=1)
    _eligible(call)
    evaluator(country="SE")
    url = reverse("evaluation:assignments", args=[call.slug])
    with django_capture_on_commit_callbacks(execute=True):  # Celery runs eagerly in tests
        staff_client.post(url)
    page = staff_client.get(url).content.decode()
    assert "1 assignment made (total match 0)." in page
    assert "hx-trigger" not in page.split('id="assignment-run"')[1].split("</section>")[0]
    assert AuditEntry.objects.filter(action="evaluation.assignment.automatic").count() == 1


def test_an_infeasible_run_keeps_what_is_missing_and_saves_nothing(staff_client, staff):
    call = closed_call(evaluators_per_proposal=2)
    application = _eligible(call)
    evaluator(country="SE")
    run = request_auto_assignment(call=call, actor=staff)
    perform_assignment_run(run_id=run.pk)
    run.refresh_from_db()
    expected = f"{application.reference} needs 2 evaluators, only 1 more is eligible."
    assert (run.status, run.created, run.problems[0]) == ("done", None, expected)
    page = staff_client.get(reverse("evaluation:assignments", args=[call.slug])).content.decode()
    assert f"<li>{expected}</li>" in page
    assert "Nothing saved" in page
    assert Assignment.objects.count() == 0


def test_one_run_at_a_time_and_a_second_delivery_does_nothing(staff):
    call = closed_call(evaluators_per_proposal=1)
    _eligible(call)
    evaluator(country="SE")
    run = request_auto_assignment(call=call, actor=staff)
    with pytest.raises(ValidationError) as refused:
        request_auto_assignment(call=call, actor=staff)
    assert refused.value.messages == ["An automatic assignment of this call is already running."]
    perform_assignment_run(run_id=run.pk)
    assert perform_assignment_run(run_id=run.pk) is None
    assert Assignment.objects.count() == 1
    # Once done, staff may ask again (the next one finds every application assigned).
    assert request_auto_assignment(call=call, actor=staff).status == "queued"


def test_a_run_lost_for_half_an_hour_is_given_up_so_staff_can_ask_again(staff):
    call = closed_call(evaluators_per_proposal=1)
    _eligible(call)
    lost = AssignmentRun.objects.create(
        call=call, requested_by=staff, created_at=timezone.now() - timedelta(minutes=31)
    )
    run = request_auto_assignment(call=call, actor=staff)
    lost.refresh_from_db()
    assert (lost.status, run.status) == (AssignmentRunStatus.FAILED, AssignmentRunStatus.QUEUED)
    entry = AuditEntry.objects.get(action="evaluation.assignment.failed")
    assert entry.data == {"run": lost.pk, "abandoned": True}


def test_the_service_tells_each_stage_as_it_starts(staff):
    call = closed_call(evaluators_per_proposal=1)
    _eligible(call)
    evaluator(country="SE")
    stages = []
    run_auto_assignment(call=call, actor=staff, progress=stages.append)
    assert stages == ["reading", "solving", "writing"]


def test_a_run_of_another_call_is_not_found_under_this_one(staff_client, staff):
    call, other = closed_call(evaluators_per_proposal=1), closed_call(evaluators_per_proposal=1)
    _eligible(other)
    run = request_auto_assignment(call=other, actor=staff)
    url = reverse("evaluation:assignment-run", args=[call.slug, run.pk])
    assert staff_client.get(url).status_code == 404
