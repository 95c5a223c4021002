"""Which button of a staff page was pressed is read by a form (evaluation.forms.PageActionForm):
an unknown action is a message on the page, and nothing changes."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from calls.models import ApplicationState
from evaluation.models import ComplaintState, ResultsPublication
from evaluation.services import redress
from evaluation.services.publication import redress_closes_at
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)
from tests.evaluation.results_factories import decided_call

pytestmark = pytest.mark.django_db

PUBLISHED_AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
GROUNDS = (
    "One evaluator works for a direct competitor of our lead partner and declared no conflict; "
    "the call's rules exclude such an evaluator from our proposal."
)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("action", ["mark_evaluated ", "close", "²"])
def test_an_unknown_action_on_the_scores_page_is_a_message(staff_client, action):
    call = closed_call()
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    for _ in range(2):
        scored_assignment(
            application, evaluator(), {"Excellence": "4", "Impact": "4", "Implementation": "4"}
        )

    response = staff_client.post(
        reverse("evaluation:scores", args=[call.slug]), {"action": action}, follow=True
    )

    assert (response.status_code, _messages(response)) == (200, ["Unknown action."])
    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_EVALUATION


@pytest.mark.parametrize("data", [{"action": "dismiss"}, {}])
def test_an_unknown_action_on_a_complaint_is_a_message(staff_client, staff, data):
    decided = decided_call(time_zone="Europe/Brussels")
    ResultsPublication.objects.create(
        call=decided.call,
        published_at=PUBLISHED_AT,
        published_by=staff,
        redress_closes_at=redress_closes_at(decided.call, PUBLISHED_AT),
    )
    complaint = redress.file_complaint(
        application=decided.selected,
        actor=decided.admin,
        grounds=GROUNDS,
        now=PUBLISHED_AT + timedelta(days=1),
    )

    response = staff_client.post(
        reverse("evaluation:complaint-detail", args=[complaint.pk]), data, follow=True
    )

    assert _messages(response) == ["Unknown action."]
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.RECEIVED
