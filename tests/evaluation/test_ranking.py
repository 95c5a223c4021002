"""The ranking of a call from the database: agrees with the reference, says why, API, pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import roles
from calls.models import ApplicationState
from evaluation.models import Assignment
from evaluation.ranking_rules import (
    ProposalScores,
    TieBreak,
    TieBreakKind,
    rank_proposals,
)
from evaluation.results import call_ranking, call_results, criteria_specs, tie_breaks
from evaluation.scoring_rules import final_scores
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _scored(call, values: dict[str, str], *, countries=("FI", "PT"), minutes=0, sheets=2):
    application = submitted_application(
        call,
        countries=countries,
        state=ApplicationState.UNDER_EVALUATION,
        submitted_at=call.closes_at - timedelta(days=1) + timedelta(minutes=minutes),
    )
    for _ in range(sheets):
        scored_assignment(application, evaluator(country="BG"), values)
    return application


def _scores(e, i, m):
    return {"Excellence": e, "Impact": i, "Implementation": m}


@pytest.fixture
def ranked_call():
    call = closed_call(total_budget=Decimal("50000.00"))
    a = _scored(call, _scores("4", "4", "4"), minutes=1)
    b = _scored(call, _scores("5", "4", "3"), minutes=2)
    c = _scored(call, _scores("2", "4", "4"), minutes=3)
    d = _scored(call, _scores("3", "3", "3"), minutes=4)
    return call, a, b, c, d


def test_ranking_positions_thresholds_and_why(ranked_call):
    call, a, b, c, d = ranked_call
    rows, pending = call_ranking(call)
    assert pending == []
    summary = [
        (
            r.ranked.id,
            r.ranked.rank,
            r.ranked.weighted_total,
            r.ranked.decided_by,
            [(f.criterion, f.score, f.threshold) for f in r.ranked.failed_thresholds],
            r.proposed_outcome,
        )
        for r in rows
    ]
    assert summary == [
        (b.pk, 1, Decimal("14.0000"), None, [], "fund"),
        (a.pk, 2, Decimal("14.0000"), "criterion:excellence", [], "reserve"),
        (
            c.pk,
            None,
            Decimal("12.0000"),
            "thresholds",
            [("excellence", Decimal("2.00"), Decimal("3.0"))],
            "reject",
        ),
        (
            d.pk,
            None,
            Decimal("10.5000"),
            "weighted_total",
            [(None, Decimal("9.00"), Decimal("10.00"))],
            "reject",
        ),
    ]


def test_database_ranking_agrees_with_the_reference(ranked_call):
    call = ranked_call[0]
    results = call_results(call)
    reference = rank_proposals(
        [
            ProposalScores(
                id=r.application.pk,
                scores=final_scores(r.sheets),
                submitted_at=r.application.submitted_at,
                countries=r.countries,
                reference=r.application.reference,
            )
            for r in results
        ],
        criteria=criteria_specs(call),
        total_threshold=call.total_threshold,
        tie_breaks=tie_breaks(call),
    )
    rows, _pending = call_ranking(call)
    assert tuple(r.ranked for r in rows) == reference


def test_geographic_diversity_then_submission_break_ties():
    call = closed_call()
    x = _scored(call, _scores("4", "4", "4"), countries=("FI", "PT"), minutes=1)
    y = _scored(call, _scores("4", "4", "4"), countries=("FI", "PT"), minutes=2)
    z = _scored(call, _scores("4", "4", "4"), countries=("SE", "DE"), minutes=3)
    rows, _pending = call_ranking(call)
    assert [(r.ranked.id, r.ranked.decided_by) for r in rows] == [
        (x.pk, None),
        # Against x (nothing above either), z ties on countries and is later: the reference
        # says what separates the pair; y then has no new country left.
        (z.pk, "submitted_at"),
        (y.pk, "new_countries"),
    ]
    call.tie_break_chain = ["submitted_at"]
    call.save()
    rows, _pending = call_ranking(call)
    assert [(r.ranked.id, r.ranked.decided_by) for r in rows] == [
        (x.pk, None),
        (y.pk, "submitted_at"),
        (z.pk, "submitted_at"),
    ]


def test_tie_break_chain_of_the_call_is_mapped_by_criterion_name():
    call = closed_call()
    call.tie_break_chain = ["criterion:IMPACT", "geographic_diversity", "submitted_at"]
    assert tie_breaks(call) == [
        TieBreak(TieBreakKind.CRITERION, "impact"),
        TieBreak(TieBreakKind.NEW_COUNTRIES),
        TieBreak(TieBreakKind.SUBMITTED_AT),
    ]
    call.tie_break_chain = ["criterion:Beauty"]
    with pytest.raises(ValueError, match="names no criterion"):
        tie_breaks(call)


def test_incomplete_applications_are_pending_not_ranked():
    call = closed_call()
    application = _scored(call, _scores("4", "4", "4"), sheets=1)
    Assignment.objects.create(application=application, evaluator=evaluator())
    rows, pending = call_ranking(call)
    assert (rows, [p.application.pk for p in pending]) == ([], [application.pk])


def test_api_returns_the_ranking_to_staff_and_committee(client, staff, committee, ranked_call):
    call, a, b, _c, d = ranked_call
    url = reverse("api-call-ranking", args=[call.slug])
    client.force_login(committee)
    data = client.get(url).json()
    assert [row["reference"] for row in data] == [
        b.reference,
        a.reference,
        ranked_call[3].reference,
        d.reference,
    ]
    assert data[3] == {
        "reference": d.reference,
        "position": 4,
        "rank": None,
        "scores": {"Excellence": "3.00", "Impact": "3.00", "Implementation": "3.00"},
        "total": "9.00",
        "weighted_total": "10.5000",
        "passed": False,
        "failed_thresholds": [{"criterion": None, "score": "9.00", "threshold": "10.00"}],
        "decided_by": "weighted_total",
        "proposed_outcome": "reject",
    }
    client.force_login(staff)
    assert client.get(url).status_code == 200
    client.force_login(evaluator())
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(roles=[roles.STAFF]))  # no MFA
    assert client.get(url).status_code == 403


def test_ranking_page_for_committee_not_for_evaluators(client, committee, ranked_call):
    call = ranked_call[0]
    url = reverse("evaluation:ranking", args=[call.slug])
    client.force_login(committee)
    page = client.get(url).content.decode()
    assert page.count("tie-break on Excellence") == 1
    assert page.count('<span class="badge bad">excellence 2.00 below 3.0</span>') == 1
    client.force_login(evaluator())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_ranking_page_query_count(staff_client, django_assert_num_queries, count):
    call = closed_call()
    for i in range(count):
        _scored(call, _scores("4", "4", "4"), minutes=i)
    url = reverse("evaluation:ranking", args=[call.slug])
    staff_client.get(url)
    with django_assert_num_queries(19):
        response = staff_client.get(url)
    assert response.content.decode().count('<span class="badge ok">Fund</span>') == count
