"""The evaluator's home reads only what it shows: a fixed number of queries whatever the number
of assignments, no user row but the signed-in one (no password hashes), and the consortium's
names only where a blind call needs them to redact a title."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calls.models import ApplicationState
from evaluation.models import Assignment, AssignmentState
from evaluation.selectors import readable_assignment
from tests.auth import sign_in
from tests.evaluation.factories import (
    accepted_assignment,
    closed_call,
    evaluator,
    submitted_application,
)

pytestmark = pytest.mark.django_db

# The session is no longer written on every request (PRIVILEGED_SESSION_RENEWAL_SECONDS).
# 6 until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
QUERIES_OF_THE_HOME = 3


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


def test_each_row_links_to_its_scoring_page(client):
    user = evaluator()
    _assigned(user, 2, blind=False)
    sign_in(client, user)

    rows = client.get(reverse("evaluation:evaluator-home")).context["rows"]

    assert [row.url for row in rows] == [f"/evaluate/assignments/{row.id}/" for row in rows]
    assert len({row.id for row in rows}) == 2


def _scoring_page_queries(client, *, members: int, blind: bool) -> list[str]:
    user = evaluator()
    call = closed_call(blind_evaluation=blind)
    application = submitted_application(
        call,
        countries=("FI", "PT", "ES")[:members],
        names=("Orefinder Oy", "Lisbon Sensing", "Sevilla Minerals")[:members],
        state=ApplicationState.UNDER_EVALUATION,
        title="Orefinder Oy sorts ore",
    )
    assignment = accepted_assignment(application, user)
    sign_in(client, user)
    url = reverse("evaluation:assignment", args=[assignment.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    title = "[…] sorts ore" if blind else "Orefinder Oy sorts ore"
    assert response.context["proposal"].title == title
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("blind", [False, True])
def test_the_scoring_page_costs_the_same_queries_whatever_the_consortium(client, blind):
    one = _scoring_page_queries(client, members=1, blind=blind)
    three = _scoring_page_queries(client, members=3, blind=blind)

    assert len(one) == len(three)


def test_the_scoring_page_reads_the_consortiums_people_only_in_a_blind_call(client):
    def people_reads(queries):
        return [q for q in queries if '"accounts_membership"."organisation_id" IN' in q]

    assert people_reads(_scoring_page_queries(client, members=2, blind=False)) == []
    assert len(people_reads(_scoring_page_queries(client, members=2, blind=True))) == 1


def test_the_rows_are_drawn_as_the_template_drew_them(client):
    """Each state's badge, the declaration's placeholder for a proposal not yet declared on, and
    every value escaped, written out by hand (the rows are one template tag's `str.format`)."""
    user = evaluator()
    call = closed_call(title="Call <A> & co")
    proposed, accepted, scored = (
        submitted_application(
            call, state=ApplicationState.UNDER_EVALUATION, title=f"Ore & <b>{i}</b> \"'"
        )
        for i in range(3)
    )
    first = Assignment.objects.create(
        application=proposed, evaluator=user, state=AssignmentState.PROPOSED
    )
    second = accepted_assignment(accepted, user)
    third = accepted_assignment(scored, user)
    Assignment.objects.filter(pk=third.pk).update(
        state=AssignmentState.SCORED, submitted_at=timezone.now()
    )
    sign_in(client, user)

    html = client.get(reverse("evaluation:evaluator-home")).content.decode()

    body = html[html.index("<tbody>") : html.index("</tbody>") + len("</tbody>")]
    code = call.code
    assert body == (
        "<tbody>\n"
        "      \n"
        "        <tr>\n"
        f'          <td><a href="/evaluate/assignments/{first.pk}/">{code}-0001</a></td>\n'
        "          <td>Call &lt;A&gt; &amp; co</td>\n"
        '          <td><span class="muted">Declare first</span></td>\n'
        '          <td><span class="badge warn">Proposed (declaration pending)</span></td>\n'
        "        </tr>\n"
        "      \n"
        "        <tr>\n"
        f'          <td><a href="/evaluate/assignments/{second.pk}/">{code}-0002</a></td>\n'
        "          <td>Call &lt;A&gt; &amp; co</td>\n"
        "          <td>Ore &amp; &lt;b&gt;1&lt;/b&gt; &quot;&#x27;</td>\n"
        '          <td><span class="badge">Accepted</span></td>\n'
        "        </tr>\n"
        "      \n"
        "        <tr>\n"
        f'          <td><a href="/evaluate/assignments/{third.pk}/">{code}-0003</a></td>\n'
        "          <td>Call &lt;A&gt; &amp; co</td>\n"
        "          <td>Ore &amp; &lt;b&gt;2&lt;/b&gt; &quot;&#x27;</td>\n"
        '          <td><span class="badge ok">Scored</span></td>\n'
        "        </tr>\n"
        "      \n"
        "      </tbody>"
    )


def test_the_scoring_page_reads_its_assignment_application_and_call():
    """One row read into three models (`readable_assignment`): each field where it belongs."""
    user = evaluator()
    call = closed_call(title="Critical raw materials", blind_evaluation=True)
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    assignment = accepted_assignment(application, user)

    read = readable_assignment(user, assignment.pk)

    assert (read.pk, read.state, read.evaluator_id, read.application_id) == (
        assignment.pk,
        "accepted",
        user.pk,
        application.pk,
    )
    assert (read.application.pk, read.application.reference, read.application.state) == (
        application.pk,
        f"{call.code}-0001",
        "under_evaluation",
    )
    assert (read.application.call.pk, read.application.call.title) == (
        call.pk,
        "Critical raw materials",
    )
    assert read.application.call.blind_evaluation is True
    assert readable_assignment(evaluator(), assignment.pk) is None  # someone else's


def test_an_assignment_id_beyond_any_row_is_not_found(client):
    sign_in(client, evaluator())

    response = client.get(f"/evaluate/assignments/{2**63}/")

    assert response.status_code == 404
