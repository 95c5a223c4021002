"""The staff list of a call's applications pages its ids first (a narrow query, counted without
any join to the members), then reads what the 50 rows show, for those rows only; the sorting,
the values and the CSV are those of the whole list."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calls import services
from calls.models import MemberStatus
from tests.calls.factories import CallFactory, complete_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(staff_client):
    """Three submitted applications of one call: C-0001 requests 50,000, C-0002 45,000 and
    C-0003 35,000 (its lead asked for 15,000); a fourth, a draft, no confirmed partner's
    money (its partner withdrew): 30,000."""
    call = CallFactory(code="C")
    requested = {}
    for lead_amount in ("30000.00", "25000.00", "15000.00"):
        application, admin = complete_application(call)
        lead = application.members.get(is_lead=True)
        services.update_member_budget(
            member=lead, actor=admin, role=lead.role, requested_amount=Decimal(lead_amount)
        )
        services.submit_application(application=application, actor=admin)
        requested[application.reference] = Decimal(lead_amount) + Decimal("20000.00")
    draft, _admin = complete_application(call)
    draft.members.filter(is_lead=False).update(status=MemberStatus.WITHDRAWN)
    return call, draft


def page_rows(staff_client, call, **params):
    response = staff_client.get(reverse("calls:manage-applications", args=[call.slug]), params)
    return [
        (
            row.application.reference,
            row.requested_total,
            len(row.members),
            [country for _name, country in row.members],
        )
        for row in response.context["rows"]
    ], response


def test_sorted_by_requested_total_both_ways(staff_client, three):
    call, _draft = three
    ascending, response = page_rows(staff_client, call, sort="requested")
    assert ascending == [
        (None, Decimal("30000.00"), 1, ["FI"]),
        ("C-0003", Decimal("35000.00"), 2, ["FI", "PT"]),
        ("C-0002", Decimal("45000.00"), 2, ["FI", "PT"]),
        ("C-0001", Decimal("50000.00"), 2, ["FI", "PT"]),
    ]
    assert response.context["page"].paginator.count == 4
    descending, _response = page_rows(staff_client, call, sort="-requested")
    assert descending == list(reversed(ascending))


def test_the_count_and_the_page_ids_never_join_the_members(staff_client, three):
    call, _draft = three
    url = reverse("calls:manage-applications", args=[call.slug])
    with CaptureQueriesContext(connection) as captured:
        staff_client.get(url, {"state": "submitted", "sort": "-submitted"})
    count = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "calls_application" WHERE')
        and "'submitted'" in q["sql"]
    ]
    assert len(count) == 1, count
    assert "calls_consortiummember" not in count[0]
    assert "GROUP BY" not in count[0].upper()
    paging = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(
            'SELECT "calls_application"."id" AS "pk" FROM "calls_application" WHERE'
        )
    ]
    assert len(paging) == 1, paging  # the ids only, sorted and sliced
    assert " LIMIT 3" in paging[0]
    assert "calls_consortiummember" not in paging[0]


def test_the_csv_has_every_row_with_its_values(staff_client, three):
    call, _draft = three
    url = reverse("calls:manage-applications", args=[call.slug])
    response = staff_client.get(url, {"format": "csv", "sort": "-requested", "state": "submitted"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["C-0001", "C-0002", "C-0003"]
    assert [line.split(",")[-2] for line in lines[1:]] == ["50000.00", "45000.00", "35000.00"]


def test_the_api_pages_the_same_rows_with_the_same_values(staff_client, three):
    call, _draft = three
    url = reverse("api-staff-applications", args=[call.slug])
    response = staff_client.get(url, {"sort": "-requested"})
    assert [(r["reference"], r["requested_total"]) for r in response.json()["results"]] == [
        ("C-0001", "50000.00"),
        ("C-0002", "45000.00"),
        ("C-0003", "35000.00"),
        (None, "30000.00"),
    ]


@pytest.mark.parametrize("asked", ["xlsx", "CSV", "csv "])
def test_an_unknown_format_is_400_with_the_one_there_is(staff_client, asked):
    call = CallFactory()
    complete_application(call)
    url = reverse("calls:manage-applications", args=[call.slug])

    response = staff_client.get(url, {"format": asked})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert [str(m) for m in response.context["messages"]] == [
        f"Unknown format “{asked}”: the list is exported as CSV (format=csv)."
    ]
