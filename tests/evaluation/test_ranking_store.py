"""The ranking is computed once per change of its inputs, read a page at a time (page, API),
and whole as CSV (issue #15)."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calls.models import Application, ApplicationState, CallState
from calls.results_cache import results_cache
from calls.services import application_transition
from calls.services.calls import update_call
from evaluation.models import Assignment, Score
from evaluation.ranking_pages import StoredRanking
from evaluation.services.assignment import add_assignment, declare_conflict, remove_assignment
from evaluation.services.consensus import answer_consensus, open_consensus, propose_consensus
from evaluation.services.scoring import mark_evaluated, reopen_scores, save_scores
from tests.auth import sign_in
from tests.calls.factories import CallFactory
from tests.evaluation.decision_factories import adopt, ready_call
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)
from tests.evaluation.generated_calls import generate_call

pytestmark = pytest.mark.django_db

SCORES = {"Excellence": "4", "Impact": "4", "Implementation": "4"}


def _scored(call, values, *, minutes=0):
    application = submitted_application(
        call,
        state=ApplicationState.UNDER_EVALUATION,
        submitted_at=call.closes_at - timedelta(days=1) + timedelta(minutes=minutes),
    )
    for _ in range(2):
        scored_assignment(application, evaluator(country="BG"), values)
    return application


def _page_references(client, call, page=1) -> list[str]:
    data = client.get(reverse("api-call-ranking", args=[call.slug]), {"page": page}).json()
    return [row["reference"] for row in data["results"]]


def _html_references(client, call) -> list[str]:
    page = client.get(reverse("evaluation:ranking", args=[call.slug])).content.decode()
    return re.findall(r'<th scope="row" class="nowrap">([^<]+)</th>', page)


def test_the_ranking_is_read_from_the_store_until_a_service_changes_a_score(
    client, staff, django_capture_on_commit_callbacks
):
    call = closed_call()
    first = _scored(call, {"Excellence": "5", "Impact": "5", "Implementation": "5"}, minutes=1)
    second = _scored(call, SCORES, minutes=2)
    sign_in(client, staff)
    assert _page_references(client, call) == [first.reference, second.reference]
    assert _html_references(client, call) == [first.reference, second.reference]

    # Behind the services' back nothing tells the store: it keeps the order it computed.
    Score.objects.filter(assignment__application=second).update(value=Decimal("5"))
    Score.objects.filter(assignment__application=first).update(value=Decimal("3"))
    assert _page_references(client, call) == [first.reference, second.reference]
    assert _html_references(client, call) == [first.reference, second.reference]

    # Through the services (reopened, then submitted again), the ranking is computed again.
    assignment = Assignment.objects.filter(application=first).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        reopen_scores(assignment=assignment, actor=staff, reason="A score was entered wrongly.")
    with django_capture_on_commit_callbacks(execute=True):
        save_scores(
            assignment=assignment,
            actor=assignment.evaluator,
            scores={
                s.criterion_id: (
                    Decimal("3"),
                    "Reconsidered: the work plan is thinner than it first looked.",
                )
                for s in assignment.scores.all()
            },
            submit=True,
        )
    assert _page_references(client, call) == [second.reference, first.reference]
    assert _html_references(client, call) == [second.reference, first.reference]


def test_a_change_of_state_computes_the_ranking_again(client, staff):
    call = closed_call()
    application = _scored(call, SCORES)
    sign_in(client, staff)
    page = client.get(reverse("evaluation:ranking", args=[call.slug])).content.decode()
    assert "Mark these applications as evaluated first: " + application.reference in page

    application_transition(
        application=application, to_state=ApplicationState.EVALUATED, actor=staff
    )

    page = client.get(reverse("evaluation:ranking", args=[call.slug])).content.decode()
    assert "Mark these applications as evaluated first" not in page


def test_pages_of_a_hundred_and_the_whole_list_as_csv(client, committee):
    generated = generate_call(seed=7, count=230)
    call = generated.call
    ranked = 230 - len(generated.expected_pending)
    sign_in(client, committee)

    api = reverse("api-call-ranking", args=[call.slug])
    pages = [client.get(api, {"page": n}).json() for n in (1, 2, 3)]
    assert [p["count"] for p in pages] == [ranked] * 3
    assert [len(p["results"]) for p in pages] == [100, 100, ranked - 200]
    positions = [row["position"] for p in pages for row in p["results"]]
    assert positions == list(range(1, ranked + 1))
    by_api = [row["reference"] for p in pages for row in p["results"]]
    assert client.get(api, {"page": 4}).status_code == 404

    html = client.get(reverse("evaluation:ranking", args=[call.slug]), {"page": 2}).content
    page = html.decode()
    assert page.count('<th scope="row" class="nowrap">') == 100
    assert '<span aria-current="page"><span class="visually-hidden">Page </span>2</span>' in page

    # A page's body is kept beside the stored ranking; an address with other parameters is
    # drawn afresh: its links keep them, and the kept body's links do not.
    ranking_url = reverse("evaluation:ranking", args=[call.slug])
    with_other = client.get(ranking_url, {"page": 2, "sort": "x"}).content.decode()
    assert '<a href="?page=1&amp;sort=x" rel="prev">' in with_other
    assert '<a href="?page=3&amp;sort=x" rel="next">' in with_other
    again = client.get(ranking_url, {"page": 2}).content.decode()
    assert ('<a href="?page=1" rel="prev">' in again, "sort=x" in again) == (True, False)
    assert re.findall(r'<th scope="row" class="nowrap">([^<]+)</th>', again) == by_api[100:200]
    # Past the last page, the last; not a number, the first (as the paginator reads them).
    last = client.get(ranking_url, {"page": 99}).content.decode()
    assert '<span aria-current="page"><span class="visually-hidden">Page </span>3</span>' in last
    assert re.findall(r'<th scope="row" class="nowrap">([^<]+)</th>', last) == by_api[200:]
    first = client.get(ranking_url, {"page": "x"}).content.decode()
    assert re.findall(r'<th scope="row" class="nowrap">([^<]+)</th>', first) == by_api[:100]

    response = client.get(reverse("evaluation:ranking-csv", args=[call.slug]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Position", "Rank", "Application", "Proposed outcome"]
    assert [int(r[0]) for r in rows[1:]] == list(range(1, ranked + 1))
    assert [r[2] for r in rows[1:]] == by_api
    assert {r[3] for r in rows[1:]} <= {"fund", "reserve", "reject"}


def test_the_committee_sessions_page_reads_the_stored_ranking(client, staff):
    call = closed_call()
    application = _scored(call, SCORES)
    Assignment.objects.create(application=application, evaluator=evaluator())  # not scored yet
    sign_in(client, staff)
    page = client.get(reverse("evaluation:committee")).content.decode()
    assert f"The ranking is not complete: {application.reference} still pending." in page


class _Versions:
    """The results version of a call, read before and after each change."""

    def __init__(self, call):
        self.cache = results_cache(call.pk)
        self.seen = [self.cache.version()]

    def changed(self) -> bool:
        self.seen.append(self.cache.version())
        return self.seen[-1] != self.seen[-2]


def test_consensus_steps_and_assignments_replace_the_results_version(staff):
    call = closed_call()
    application = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    rapporteur, other = evaluator(), evaluator()
    scored_assignment(application, rapporteur, {**SCORES, "Excellence": "5"})
    scored_assignment(application, other, {**SCORES, "Excellence": "2.5"})  # diverges
    versions = _Versions(call)
    criteria = {c.name: c.pk for c in call.criteria.all()}
    comment = "The evaluators agreed on these scores after a call."

    consensus = open_consensus(application=application, rapporteur=rapporteur, actor=staff)
    assert versions.changed()
    propose_consensus(
        consensus=consensus,
        actor=rapporteur,
        scores=dict.fromkeys(criteria.values(), ("4", comment)),
    )
    assert versions.changed()
    answer_consensus(consensus=consensus, actor=other, agreed=True)
    assert versions.changed()

    extra = evaluator(country="BG")
    assignment = add_assignment(application=application, evaluator=extra, actor=staff)
    assert versions.changed()
    remove_assignment(assignment=assignment, actor=staff)
    assert versions.changed()
    assignment = add_assignment(application=application, evaluator=extra, actor=staff)
    versions.changed()
    declare_conflict(assignment=assignment, actor=extra, conflict=True, note="My former employer.")
    assert versions.changed()
    # Reading changes nothing: the concluded consensus ranks the application.
    summary = StoredRanking(call).summary
    assert (summary.count, summary.pending) == (1, ())
    assert not versions.changed()


def test_the_calls_rules_and_criteria_replace_the_results_version(staff):
    call = CallFactory(state=CallState.DRAFT)
    versions = _Versions(call)
    update_call(call=call, actor=staff, data={"total_threshold": Decimal("11.00")})
    assert versions.changed()
    update_call(call=call, actor=staff, data={"total_threshold": Decimal("11.00")})
    assert not versions.changed()  # nothing changed: nothing to forget


def test_an_adopted_ranking_is_the_decision_and_later_scores_do_not_move_it(client, staff):
    ready = ready_call()  # 15, 13.5, 12, 10.5 and 9 (below the total threshold); 2 x EUR 40,000
    adopt(ready, staff)
    # Behind the services' back: the last application now scores top marks.
    Score.objects.filter(assignment__application=ready.apps[4]).update(value=Decimal("5"))
    sign_in(client, staff)

    data = client.get(reverse("api-call-ranking", args=[ready.call.slug])).json()["results"]

    apps = ready.apps
    assert [
        (r["reference"], r["position"], r["rank"], r["proposed_outcome"], r["total"]) for r in data
    ] == [
        (apps[0].reference, 1, 1, "fund", "15.00"),
        (apps[1].reference, 2, 2, "fund", "13.50"),
        (apps[2].reference, 3, 3, "reserve", "12.00"),
        (apps[3].reference, 4, 4, "reserve", "10.50"),
        (apps[4].reference, 5, None, "reject", "9.00"),
    ]
    assert data[0]["scores"] == {"Excellence": "5.00", "Impact": "5.00", "Implementation": "5.00"}
    assert data[4]["scores"] == {}  # its live scores no longer explain the decided place
    page = client.get(reverse("evaluation:ranking", args=[ready.call.slug])).content.decode()
    assert "The committee adopted its decision on " in page
    assert _html_references(client, ready.call) == [a.reference for a in apps]


def test_marking_as_evaluated_changes_the_results_version_only_when_one_moves(staff):
    call = closed_call()
    first, second = _scored(call, SCORES, minutes=1), _scored(call, SCORES, minutes=2)
    waiting = submitted_application(call, state=ApplicationState.UNDER_EVALUATION)
    Assignment.objects.create(application=waiting, evaluator=evaluator())  # not scored yet
    versions = _Versions(call)

    assert mark_evaluated(call=call, actor=staff) == 2
    assert versions.changed()
    assert StoredRanking(call).summary.not_evaluated == ()

    assert mark_evaluated(call=call, actor=staff) == 0  # nothing more is complete
    assert not versions.changed()
    states = dict(
        Application.objects.filter(pk__in=[first.pk, second.pk, waiting.pk]).values_list(
            "pk", "state"
        )
    )
    assert states == {
        first.pk: ApplicationState.EVALUATED,
        second.pk: ApplicationState.EVALUATED,
        waiting.pk: ApplicationState.UNDER_EVALUATION,
    }


def _queries_marking(staff, count: int) -> int:
    call = closed_call()
    for minutes in range(count):
        _scored(call, SCORES, minutes=minutes)
    with CaptureQueriesContext(connection) as captured:
        assert mark_evaluated(call=call, actor=staff) == count
    return len(captured.captured_queries)


def test_marking_as_evaluated_moves_them_all_at_once(staff):
    """One lock, one update, one version change and the ledger entries appended together
    (`applications_transition`): the same queries for one as for three."""
    _queries_marking(staff, 1)  # the first reads what the process keeps (content types)
    assert _queries_marking(staff, 1) == _queries_marking(staff, 3)
