"""The ranking of a call from the database, against orders, totals and reasons worked out by
hand: thresholds, weights, rounded means of three, each tie-break step; the API and pages."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from accounts import roles
from calls.models import ApplicationState
from evaluation.models import Assignment
from evaluation.ranking_pages import StoredRanking
from evaluation.ranking_rules import TieBreak, TieBreakKind
from evaluation.results import call_ranking, tie_breaks
from evaluation.services.decision import open_decision_session
from evaluation.views.results import _body_name
from minegap.core.release import release
from tests.auth import sign_in
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)
from tests.evaluation.test_call_tabs import TAB_BAR_QUERIES
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


def _three_sheets(call, sheets, *, panel, countries=("FI", "PT"), minutes=0):
    """An application scored by the three evaluators of ``panel``; ``sheets`` holds, per
    criterion (Excellence, Impact, Implementation), the three evaluators' scores."""
    application = submitted_application(
        call,
        countries=countries,
        state=ApplicationState.UNDER_EVALUATION,
        submitted_at=call.closes_at - timedelta(days=1) + timedelta(minutes=minutes),
    )
    for n, person in enumerate(panel):
        scored_assignment(application, person, _scores(*(values[n] for values in sheets)))
    return application


def _summary(rows):
    return [
        (
            r.ranked.id,
            r.ranked.rank,
            dict(r.ranked.scores),
            r.ranked.total,
            r.ranked.weighted_total,
            r.ranked.decided_by,
        )
        for r in rows
    ]


def test_means_of_three_are_rounded_before_totals_and_ties_are_compared():
    call = closed_call()
    panel = [evaluator(country="BG") for _ in range(3)]
    # DOMAIN.md's example: A's means are 5, 4.333... and 3.5; B's 4.666..., 4.333... and
    # 3.833... Published: 5.00 / 4.33 / 3.50 and 4.67 / 4.33 / 3.83, both 12.83 in total and
    # 5 + 1.5 x 4.33 + 3.5 = 4.67 + 1.5 x 4.33 + 3.83 = 14.995 weighted: a tie, broken by
    # Excellence (Impact is equal).
    b = _three_sheets(
        call, [("4.5", "4.5", "5"), ("4", "4.5", "4.5"), ("3.5", "4", "4")], panel=panel
    )
    a = _three_sheets(
        call, [("5", "5", "5"), ("4", "4.5", "4.5"), ("3.5", "3.5", "3.5")], panel=panel
    )
    # Unrounded, c (14/3 + 1.5 x 4 + 12.5/3) and d (14.5/3 + 1.5 x 4 + 4) both weigh 14.8333...
    # and d would win on Excellence (4.833... > 4.666...). Published: c 4.67 + 6 + 4.17 = 14.84,
    # d 4.83 + 6 + 4.00 = 14.83: the weighted total decides, for c.
    d = _three_sheets(call, [("5", "5", "4.5"), ("4", "4", "4"), ("4", "4", "4")], panel=panel)
    c = _three_sheets(call, [("4.5", "5", "4.5"), ("4", "4", "4"), ("4", "4", "4.5")], panel=panel)

    rows, pending = call_ranking(call)

    assert pending == []
    D = Decimal
    assert _summary(rows) == [
        (
            a.pk,
            1,
            {"excellence": D("5.00"), "impact": D("4.33"), "implementation": D("3.50")},
            D("12.83"),
            D("14.995"),
            None,
        ),
        (
            b.pk,
            2,
            {"excellence": D("4.67"), "impact": D("4.33"), "implementation": D("3.83")},
            D("12.83"),
            D("14.995"),
            "criterion:excellence",
        ),
        (
            c.pk,
            3,
            {"excellence": D("4.67"), "impact": D("4.00"), "implementation": D("4.17")},
            D("12.84"),
            D("14.84"),
            "weighted_total",
        ),
        (
            d.pk,
            4,
            {"excellence": D("4.83"), "impact": D("4.00"), "implementation": D("4.00")},
            D("12.83"),
            D("14.83"),
            "weighted_total",
        ),
    ]


def test_every_step_of_the_default_chain_and_both_thresholds_decide_a_place():
    # Two evaluators each (both give the same scores unless a pair is written). Requests are
    # 2 x EUR 20,000: a budget of EUR 150,000 funds three.
    call = closed_call(total_budget=Decimal("150000.00"))
    top = _scored(call, _scores("5", "5", "5"), countries=("SE", "DE"), minutes=0)
    # Weighted 14 each below: 4.5 + 1.5 x 4 + 3.5, 4 + 1.5 x 4 + 4, 4.75 + 1.5 x 3.5 + 4.
    x3 = _scored(call, _scores("4.5", "4", "3.5"), countries=("FI", "PT"), minutes=5)
    x1 = _scored(call, _scores("4", "4", "4"), countries=("FI", "PT"), minutes=1)
    x6 = _scored(call, _scores("4", "4", "4"), countries=("FI", "PT"), minutes=1)
    x4 = _scored(call, _scores("4", "4", "4"), countries=("ES", "PT"), minutes=2)
    x5 = _scored(call, _scores("4", "4", "4"), countries=("FI", "PL"), minutes=3)
    x2 = submitted_application(
        call,
        state=ApplicationState.UNDER_EVALUATION,
        submitted_at=call.closes_at - timedelta(days=2),
    )
    scored_assignment(x2, evaluator(country="BG"), _scores("4.5", "3.5", "4"))
    scored_assignment(x2, evaluator(country="BG"), _scores("5", "3.5", "4"))
    # The highest weighted total of all (2.5 + 7.5 + 5 = 15) but Excellence 2.5 < 3.
    below_criterion = _scored(call, _scores("2.5", "5", "5"), minutes=0)
    # Every criterion reaches 3 but the total 9.5 < 10 (weighted 3 + 4.5 + 3.5 = 11).
    below_total = _scored(call, _scores("3", "3", "3.5"), minutes=0)

    rows, pending = call_ranking(call)

    assert pending == []
    assert [
        (
            r.ranked.id,
            r.ranked.rank,
            r.ranked.total,
            r.ranked.weighted_total,
            r.ranked.decided_by,
            r.ranked.new_countries,
            [(f.criterion, f.score, f.threshold) for f in r.ranked.failed_thresholds],
            r.proposed_outcome,
        )
        for r in rows
    ] == [
        (top.pk, 1, Decimal("15.00"), Decimal("17.5"), None, ("DE", "SE"), [], "fund"),
        # Impact 4 for x3, x1, x4, x5, x6: Excellence 4.5 puts x3 first.
        (x3.pk, 2, Decimal("12.00"), Decimal("14"), "weighted_total", ("FI", "PT"), [], "fund"),
        # With SE, DE, FI and PT above: x4 and x5 bring one new country each, x1 and x6 none;
        # x4 was submitted before x5. Against x3 itself, Excellence already separated them.
        (x4.pk, 3, Decimal("12.00"), Decimal("14"), "criterion:excellence", ("ES",), [], "fund"),
        # x5 against x4 with what was above x4: one new country each, later submission.
        (x5.pk, 4, Decimal("12.00"), Decimal("14"), "submitted_at", ("PL",), [], "reserve"),
        # x1 brings no new country (x5 brought PL), though submitted before x4 and x5.
        (x1.pk, 5, Decimal("12.00"), Decimal("14"), "new_countries", (), [], "reserve"),
        # x6 equals x1 in everything, submission second included: the number decides.
        (x6.pk, 6, Decimal("12.00"), Decimal("14"), "id", (), [], "reserve"),
        # Impact 3.5 (Excellence 4.75 does not help): after every Impact 4 at 14.
        (x2.pk, 7, Decimal("12.25"), Decimal("14.0000"), "criterion:impact", (), [], "reserve"),
        (
            below_criterion.pk,
            None,
            Decimal("12.50"),
            Decimal("15"),
            "thresholds",
            (),
            [("excellence", Decimal("2.50"), Decimal("3.0"))],
            "reject",
        ),
        (
            below_total.pk,
            None,
            Decimal("9.50"),
            Decimal("11"),
            "weighted_total",
            (),
            [(None, Decimal("9.50"), Decimal("10.00"))],
            "reject",
        ),
    ]


def test_thresholds_per_criterion_and_on_the_total_are_the_calls():
    call = closed_call(total_threshold=Decimal("12.50"))
    call.criteria.filter(name="Implementation").update(threshold=Decimal("4.5"))
    # 5 + 4.5 + 4.5 = 14 passes. 5 + 5 + 4 = 14 fails Implementation (4 < 4.5), though it weighs
    # more (16.5 > 16.25). 4.5 + 3.5 + 4.5 = 12.5 passes, at the total threshold.
    # 4 + 3.5 + 4.5 = 12 fails the total only.
    passes = _scored(call, _scores("5", "4.5", "4.5"))
    implementation_low = _scored(call, _scores("5", "5", "4"))
    at_total = _scored(call, _scores("4.5", "3.5", "4.5"))
    total_low = _scored(call, _scores("4", "3.5", "4.5"))

    rows, _pending = call_ranking(call)

    assert [
        (
            r.ranked.id,
            r.ranked.passed,
            r.ranked.weighted_total,
            [(f.criterion, f.score, f.threshold) for f in r.ranked.failed_thresholds],
        )
        for r in rows
    ] == [
        (passes.pk, True, Decimal("16.25"), []),
        (at_total.pk, True, Decimal("14.25"), []),
        (
            implementation_low.pk,
            False,
            Decimal("16.5"),
            [("implementation", Decimal("4.00"), Decimal("4.5"))],
        ),
        (total_low.pk, False, Decimal("13.75"), [(None, Decimal("12.00"), Decimal("12.50"))]),
    ]


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
    sign_in(client, committee)
    data = client.get(url).json()["results"]  # the first page (paginated since issue #15)
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
    sign_in(client, staff)
    assert client.get(url).status_code == 200
    sign_in(client, evaluator())
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(roles=[roles.STAFF]))  # no MFA
    assert client.get(url).status_code == 403


def test_ranking_page_for_committee_not_for_evaluators(client, committee, ranked_call):
    call = ranked_call[0]
    url = reverse("evaluation:ranking", args=[call.slug])
    sign_in(client, committee)
    page = client.get(url).content.decode()
    assert page.count("tie-break on Excellence") == 1
    assert page.count('<span class="badge bad">excellence 2.00 below 3.0</span>') == 1
    sign_in(client, evaluator())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_ranking_page_query_count(staff_client, django_assert_num_queries, count):
    call = closed_call()
    for i in range(count):
        _scored(call, _scores("4", "4", "4"), minutes=i)
    url = reverse("evaluation:ranking", args=[call.slug])
    staff_client.get(url)
    # +1: the rule that offers a decision session (the states of the call's sessions: adopted,
    # or one already open; two queries before, one a state). The ranking itself is read from
    # the cache (issue #15): 22 queries before, when every request computed it. The session is
    # not written again within a minute (three queries fewer). 6 until issue #15 read the
    # session from the cache and the person with roles and memberships in one query.
    with django_assert_num_queries(3 + TAB_BAR_QUERIES):
        response = staff_client.get(url)
    assert response.content.decode().count('<span class="badge ok">Fund</span>') == count


def test_ranking_page_puts_the_proposed_outcome_beside_the_application(
    client, committee, ranked_call
):
    """ "Proposed outcome" was the last of ten columns, off screen at 1280 px."""
    call = ranked_call[0]
    sign_in(client, committee)
    page = client.get(reverse("evaluation:ranking", args=[call.slug])).content.decode()

    head = re.search(r"<thead><tr>(.*?)</tr></thead>", page, re.S).group(1)
    columns = re.findall(r'<th scope="col"[^>]*>([^<]*)', head)
    assert columns[:3] == ["Rank", "Application", "Proposed outcome"]
    assert columns[-3:] == ["Total", "Weighted total", "Why here"]
    assert '<th scope="row" class="nowrap">' in page


NO_RANKING = "This call has no evaluation criteria: nothing is scored, so it has no ranking."


def test_a_call_without_criteria_says_it_has_no_ranking_rather_than_an_invalid_chain(
    client, staff, committee
):
    call = closed_call()  # its chain names a criterion ("criterion:...") it no longer has
    submitted_application(call)
    call.criteria.all().delete()  # as a call imported with its results has none
    call.imported_at = datetime(2021, 3, 5, 10, 0, tzinfo=UTC)
    call.save(update_fields=["imported_at"])
    sign_in(client, staff)

    page = client.get(reverse("evaluation:ranking", args=[call.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    empty = html.split('<div class="empty">', 1)[1].split("</div>", 1)[0]
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", empty)).strip() == (
        f"{NO_RANKING} Its results were imported on 5 March 2021, as they were decided outside"
        " MineGap."
    )
    for contradiction in ("tie-break chain is invalid", "No application is fully evaluated yet"):
        assert contradiction not in html

    csv = client.get(reverse("evaluation:ranking-csv", args=[call.slug]), follow=True)
    assert csv.redirect_chain == [(reverse("evaluation:ranking", args=[call.slug]), 302)]
    assert NO_RANKING in csv.content.decode()

    api = client.get(reverse("api-call-ranking", args=[call.slug]))
    assert (api.status_code, api.json()) == (400, {"detail": NO_RANKING})

    with pytest.raises(ValidationError) as refused:
        open_decision_session(call=call, actor=staff)
    assert refused.value.messages == [NO_RANKING]


def test_a_ranking_page_body_kept_by_one_release_is_drawn_afresh_by_the_next(
    staff_client, ranked_call
):
    call = ranked_call[0]
    url = reverse("evaluation:ranking", args=[call.slug])
    try:
        with override_settings(RELEASE="2026.12.1"):
            release.cache_clear()
            assert staff_client.get(url).status_code == 200
            assert StoredRanking(call).kept(_body_name(call, 1)) is not None
        with override_settings(RELEASE="2026.12.2"):
            release.cache_clear()
            assert StoredRanking(call).kept(_body_name(call, 1)) is None  # not the old HTML
            assert staff_client.get(url).status_code == 200
            assert StoredRanking(call).kept(_body_name(call, 1)) is not None
    finally:
        release.cache_clear()
