from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from calls.models import ApplicationState, CallState
from public import selectors
from public.models import CallFigures
from tests.public.factories import imported_award, project, results_call, results_published, sme

pytestmark = pytest.mark.django_db

S = ApplicationState


@pytest.fixture
def two_calls():
    """Call A: 2 funded projects, 3 SMEs (FI, SE, FI); call B: 1 funded project whose SME
    `shared` was also funded in call A, plus a PT SME. Other applications must not count."""
    shared, se, fi2, pt = sme("FI"), sme("SE"), sme("FI"), sme("PT")
    call_a = results_call(slug="call-a", code="A")
    call_b = results_call(slug="call-b", code="B")
    project(call_a, [(shared, "25000.10"), (se, "24999.99")])
    project(call_a, [(fi2, "0.01"), (se, "10000.00")], state=S.SELECTED)
    project(call_a, [(pt, "50000.00")], state=S.REJECTED)
    project(call_a, [(pt, "1.00")], state=S.RESERVE)
    project(call_a, [], state=S.WITHDRAWN)
    project(call_a, [], state=S.INELIGIBLE)
    project(call_b, [(shared, "33333.33"), (pt, "16666.67"), (sme("DE"), None)])
    project(call_b, [(sme("DE"), "0.00")], state=S.FUNDED)  # funded, but no one awarded money
    project(call_b, [], state=S.DRAFT)
    return call_a, call_b


def test_overall_figures_count_distinct_smes_and_countries_across_calls(two_calls):
    stats = selectors.public_stats()

    assert stats.overall.as_api() == {
        "calls": 2,
        "proposals_received": 7,  # A: 2 funded/selected + rejected + reserve + ineligible; B: 2
        "proposals_eligible": 6,
        "projects_funded": 4,
        "smes_funded": 4,  # shared, se, fi2, pt: shared counted once across both calls
        "countries": 3,  # FI, SE, PT (the DE SMEs got nothing)
        "total_awarded": "110000.10",
    }
    assert stats.overall.total_awarded == Decimal("110000.10")


def test_per_call_figures_to_the_cent(two_calls):
    stats = selectors.public_stats()

    assert {slug: f.as_api() for slug, f in stats.per_call.items()} == {
        "call-a": {
            "calls": 1,
            "proposals_received": 5,
            "proposals_eligible": 4,
            "projects_funded": 2,
            "smes_funded": 3,
            "countries": 2,
            "total_awarded": "60000.10",
        },
        "call-b": {
            "calls": 1,
            "proposals_received": 2,
            "proposals_eligible": 2,
            "projects_funded": 2,
            "smes_funded": 2,
            "countries": 2,
            "total_awarded": "50000.00",
        },
    }


def test_selected_counts_only_once_results_are_published():
    call = results_call(state=CallState.DECIDED)
    project(call, [(sme(), "1000.00")], state=S.SELECTED)
    project(call, [(sme("SE"), "2000.50")], state=S.FUNDED)

    figures = selectors.public_stats().overall

    assert (figures.projects_funded, figures.smes_funded, figures.total_awarded) == (
        1,
        1,
        Decimal("2000.50"),
    )


def test_draft_calls_are_not_public():
    call = results_call(state=CallState.DRAFT)
    project(call, [(sme(), "1000.00")])

    assert selectors.public_stats().as_api() == {
        "calls": 0,
        "proposals_received": 0,
        "proposals_eligible": 0,
        "projects_funded": 0,
        "smes_funded": 0,
        "countries": 0,
        "total_awarded": "0.00",
        "per_call": {},
    }


def test_imported_counts_replace_the_counts_of_applications(two_calls):
    call_a, _call_b = two_calls
    CallFigures.objects.create(call=call_a, proposals_received=24, proposals_eligible=20)

    stats = selectors.public_stats()

    assert (
        stats.per_call["call-a"].proposals_received,
        stats.per_call["call-a"].proposals_eligible,
    ) == (24, 20)
    assert (stats.overall.proposals_received, stats.overall.proposals_eligible) == (26, 22)
    assert stats.per_call["call-a"].success_rate == Decimal("8.3")


def test_stats_take_a_fixed_number_of_queries(two_calls, django_assert_num_queries):
    with django_assert_num_queries(3):
        selectors.public_stats()
    results_call()
    project(results_call(), [(sme(), "5.00")])
    with django_assert_num_queries(3):
        selectors.public_stats()


def test_funding_by_country_and_voucher_type(two_calls):
    assert selectors.funding_by_country() == [
        {"country": "FI", "smes": 2, "projects": 3, "total": Decimal("58333.44")},
        {"country": "SE", "smes": 1, "projects": 2, "total": Decimal("34999.99")},
        {"country": "PT", "smes": 1, "projects": 1, "total": Decimal("16666.67")},
    ]
    assert selectors.funding_by_voucher_type() == [
        {"voucher": "", "projects": 3, "total": Decimal("110000.10")}
    ]


def test_funded_projects_amounts_beneficiaries_and_filters(two_calls):
    rows = list(selectors.funded_projects(sort="-amount"))

    assert [(p.call.slug, p.awarded_total) for p in rows] == [
        ("call-a", Decimal("50000.09")),
        ("call-b", Decimal("50000.00")),
        ("call-a", Decimal("10000.01")),
        ("call-b", Decimal("0.00")),
    ]
    assert [m.organisation.country for m in rows[1].beneficiaries] == ["FI", "PT"]
    assert [p.call.slug for p in selectors.funded_projects(call="call-b")] == [
        "call-b",
        "call-b",
    ]
    assert [p.awarded_total for p in selectors.funded_projects(country="PT")] == [
        Decimal("50000.00")
    ]
    lead = rows[0].beneficiaries[0].organisation  # funded in both calls
    # Without award dates the newest project comes first.
    assert [p.pk for p in selectors.funded_projects(search=lead.legal_name)] == [
        rows[1].pk,
        rows[0].pk,
    ]


def test_funded_projects_sort_by_award_date():
    call = results_call()
    old = project(call, [(sme(), "1.00")], acronym="OLD")
    new = project(call, [(sme(), "1.00")], acronym="NEW")
    project(call, [(sme(), "1.00")], acronym="NODATE")
    imported_award(old, "2021-05-01")
    imported_award(new, "2022-05-01")

    assert [p.acronym for p in selectors.funded_projects(sort="-date")] == [
        "NEW",
        "OLD",
        "NODATE",
    ]
    assert [p.acronym for p in selectors.funded_projects(sort="acronym")] == [
        "NEW",
        "NODATE",
        "OLD",
    ]


def test_a_project_decided_in_minegap_is_awarded_on_its_calls_results_publication():
    imported = project(results_call(), [(sme(), "1.00")], acronym="IMPORTED")
    imported_award(imported, "2025-05-01")
    call = results_call()
    decided = project(call, [(sme(), "1.00")], acronym="DECIDED", state="selected")
    results_published(
        call=call,
        published_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        redress_closes_at=datetime(2026, 4, 1, 22, 0, tzinfo=UTC),
    )

    rows = list(selectors.funded_projects(sort="-date"))

    assert [(p.acronym, p.award_date) for p in rows] == [
        ("DECIDED", date(2026, 3, 2)),
        ("IMPORTED", date(2025, 5, 1)),
    ]
    assert selectors.duration_months(rows[0]) == (12, True)  # no voucher yet: planned
    assert selectors.duration_months(rows[1]) == (None, False)  # run elsewhere: none recorded
    (member,) = selectors.beneficiaries(search="DECIDED")
    assert (member.award_date, selectors.duration_months(member)) == (date(2026, 3, 2), (12, True))
    assert decided.pk == rows[0].pk


def test_funded_projects_query_count_does_not_grow(django_assert_num_queries):
    call = results_call()
    project(call, [(sme(), "1.00"), (sme("SE"), "2.00")])
    with django_assert_num_queries(2):
        assert len([len(p.beneficiaries) for p in selectors.funded_projects()]) == 1
    project(call, [(sme(), "1.00")])
    project(call, [(sme(), "1.00"), (sme("PT"), "3.00")])
    with django_assert_num_queries(2):
        assert len([len(p.beneficiaries) for p in selectors.funded_projects()]) == 3


def test_beneficiaries_list_one_row_per_award(two_calls):
    rows = list(selectors.beneficiaries(call="call-b", sort="-amount"))

    assert [(r.organisation.country, r.awarded_amount) for r in rows] == [
        ("FI", Decimal("33333.33")),
        ("PT", Decimal("16666.67")),
    ]


def test_funding_by_region(two_calls):
    assert [
        (r["country"], r["region"], r["smes"], r["total"]) for r in selectors.funding_by_region()
    ] == [
        ("FI", "FI1D7", 2, Decimal("58333.44")),
        ("SE", "FI1D7", 1, Decimal("34999.99")),
        ("PT", "FI1D7", 1, Decimal("16666.67")),
    ]
