"""The evaluator's home reads only what it shows: a fixed number of queries whatever the number
of assignments, no user row but the signed-in one (no password hashes), and the consortium's
names only where a blind call needs them to redact a title."""

import pytest
from django.urls import reverse

from calls.models import ApplicationState
from tests.auth import sign_in
from tests.evaluation.factories import (
    accepted_assignment,
    closed_call,
    evaluator,
    submitted_application,
)

pytestmark = pytest.mark.django_db

QUERIES_OF_THE_HOME = 9


def _assigned(user, n: int, *, blind: bool) -> None:
    call = closed_call(blind_evaluation=blind)
    for i in range(n):
        application = submitted_application(
            call,
            names=(f"Orefinder {i} Oy", f"Lisbon Sensing {i}"),
            state=ApplicationState.UNDER_EVALUATION,
            title=f"Orefinder {i} Oy sorts ore",
        )
        accepted_assignment(application, user)


@pytest.mark.parametrize("assignments", [1, 3])
@pytest.mark.parametrize("blind", [False, True])
def test_the_home_costs_the_same_queries_whatever_the_number_of_assignments(
    client, django_assert_num_queries, assignments, blind
):
    user = evaluator()
    _assigned(user, assignments, blind=blind)
    sign_in(client, user)
    client.get(reverse("evaluation:evaluator-home"))
    # The blind call's redaction reads the submitted versions and the consortium's people.
    expected = QUERIES_OF_THE_HOME + (4 if blind else 0)

    with django_assert_num_queries(expected) as captured:
        response = client.get(reverse("evaluation:evaluator-home"))

    titles = [row.title for row in response.context["rows"]]
    shown = "[…] sorts ore" if blind else "Orefinder {} Oy sorts ore"
    assert titles == [shown.format(i) for i in range(assignments)]
    password_reads = [q["sql"] for q in captured.captured_queries if "password" in q["sql"]]
    assert len(password_reads) == 1  # the signed-in user, by Django's authentication
