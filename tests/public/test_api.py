import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from calls.models import ApplicationState, Call
from public.cache import data_version
from public.models import CallFigures
from tests.calls.factories import CallFactory
from tests.factories import MembershipFactory, UserFactory
from tests.matchmaking.factories import admin_of, make_profile
from tests.public.factories import imported_award, project, results_call, results_published, sme

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    """Two calls; `shared` funded in both. People are members of the organisations."""
    shared, se = sme("FI", legal_name="Lapland Ore Sensing Oy"), sme("SE", legal_name="Norr AB")
    pt = sme("PT", legal_name='=HYPERLINK("http://x")')  # an injection attempt in a name
    call_a = results_call(slug="call-a", code="A", title="Call A")
    call_b = results_call(slug="call-b", code="B", title="Call B")
    first = project(call_a, [(shared, "25000.10"), (se, "24999.99")], acronym="ORESENSE")
    imported_award(first, "2021-06-30")
    project(call_b, [(shared, "10000.00"), (pt, "0.01")], acronym="TAILBLOCK")
    project(call_b, [(se, "5.00")], state=ApplicationState.REJECTED)
    CallFigures.objects.create(call=call_a, proposals_received=24, proposals_eligible=20)
    people = [UserFactory(full_name="Aino Virtanen", email="aino.virtanen@example.eu")]
    MembershipFactory(user=people[0], organisation=shared)
    make_profile(
        shared,
        stages=["processing", "recycling"],
        sectors=["ict"],
        raw_materials=["cobalt", "lithium"],
        contact_person=people[0],
    )
    make_profile(pt, stages=["recycling"], published=False)  # a draft says nothing in public
    people += [admin_of(shared), admin_of(pt)]
    return {"people": people, "shared": shared, "first": first}


def test_stats_have_the_issue_keys_and_exact_values(client, data):
    response = client.get("/api/v1/public/stats/")

    assert response.status_code == 200
    assert response.json() == {
        "calls": 2,
        "proposals_received": 26,
        "proposals_eligible": 22,
        "projects_funded": 2,
        "smes_funded": 3,
        "countries": 3,
        "total_awarded": "60000.10",
        "per_call": {
            "call-a": {
                "calls": 1,
                "proposals_received": 24,
                "proposals_eligible": 20,
                "projects_funded": 1,
                "smes_funded": 2,
                "countries": 2,
                "total_awarded": "50000.09",
            },
            "call-b": {
                "calls": 1,
                "proposals_received": 2,
                "proposals_eligible": 2,
                "projects_funded": 1,
                "smes_funded": 2,
                "countries": 2,
                "total_awarded": "10000.01",
            },
        },
    }


def test_stats_cache_is_invalidated_when_an_award_changes(client, data, django_assert_num_queries):
    assert client.get("/api/v1/public/stats/").json()["total_awarded"] == "60000.10"
    with django_assert_num_queries(0):
        assert client.get("/api/v1/public/stats/").json()["total_awarded"] == "60000.10"

    member = data["first"].members.get(organisation=data["shared"])
    member.awarded_amount = Decimal("25000.00")
    member.save()

    assert client.get("/api/v1/public/stats/").json()["total_awarded"] == "60000.00"


@pytest.mark.parametrize(
    "change",
    [
        "new_call",
        "organisation_renamed",
        "figures",
        "application_state",
        "member_deleted",
        "results_published",
    ],
)
def test_lists_are_invalidated_by_each_watched_change(client, data, change):
    before = client.get("/api/v1/public/projects/?format=csv").content
    assert client.get("/api/v1/public/projects/?format=csv").content == before
    stats_before = client.get("/api/v1/public/stats/").json()
    first = data["first"]
    if change == "new_call":
        project(results_call(slug="call-c"), [(sme("DE"), "1.00")], acronym="NEWONE")
    elif change == "organisation_renamed":
        data["shared"].legal_name = "Renamed Oy"
        data["shared"].save()
    elif change == "figures":
        CallFigures.objects.filter(call=first.call).get().delete()
    elif change == "application_state":
        first.state = ApplicationState.REJECTED
        first.save()
    elif change == "results_published":  # the award date of call B's project
        now = timezone.now()
        results_published(
            call=Call.objects.get(slug="call-b"), published_at=now, redress_closes_at=now
        )
    else:
        first.members.get(organisation=data["shared"]).delete()

    if change != "figures":  # the counts are not in the projects list
        assert client.get("/api/v1/public/projects/?format=csv").content != before
    if change not in ("organisation_renamed", "results_published"):
        assert client.get("/api/v1/public/stats/").json() != stats_before


def test_projects_list_json_and_filters(client, data):
    body = client.get("/api/v1/public/projects/?sort=acronym").json()

    assert body["count"] == 2
    assert body["results"][0] == {
        "id": data["first"].pk,
        "acronym": "ORESENSE",
        "title": data["first"].title,
        "summary": data["first"].summary,
        "call": "call-a",
        "call_title": "Call A",
        "voucher_type": "",
        "state": "funded",
        "award_date": "2021-06-30",
        "start_date": None,
        "end_date": None,
        "duration_months": None,  # imported from a call run elsewhere: not recorded
        "amount": "50000.09",
        "beneficiaries": [
            {
                "legal_name": "Lapland Ore Sensing Oy",
                "country": "FI",
                "nuts_region": "FI1D7",
                "stages": ["processing", "recycling"],
                "sectors": ["ict"],
                "raw_materials": ["cobalt", "lithium"],
                "amount": "25000.10",
            },
            {
                "legal_name": "Norr AB",
                "country": "SE",
                "nuts_region": "FI1D7",
                "stages": [],
                "sectors": [],
                "raw_materials": [],
                "amount": "24999.99",
            },
        ],
    }
    assert [
        p["acronym"] for p in client.get("/api/v1/public/projects/?country=PT").json()["results"]
    ] == ["TAILBLOCK"]
    assert [
        p["acronym"] for p in client.get("/api/v1/public/projects/?call=call-a").json()["results"]
    ] == ["ORESENSE"]
    assert [
        p["acronym"] for p in client.get("/api/v1/public/projects/?search=norr").json()["results"]
    ] == ["ORESENSE"]


def test_bad_filter_answers_400_with_a_message(client, data):
    response = client.get("/api/v1/public/projects/?country=XX")

    assert response.status_code == 400
    assert "country" in response.json()
    assert client.get("/api/v1/public/projects/?page=99").status_code == 404


def test_beneficiaries_csv_is_injection_safe(client, data):
    response = client.get("/api/v1/public/beneficiaries/?format=csv&sort=amount")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="minegap-beneficiaries.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "legal_name",
        "country",
        "nuts_region",
        "project_acronym",
        "project_title",
        "description",
        "call",
        "award_date",
        "duration_months",
        "amount",
    ]
    assert [(r[0], r[1], r[3], r[7], r[8], r[9]) for r in rows[1:]] == [
        ('\'=HYPERLINK("http://x")', "PT", "TAILBLOCK", "", "12", "0.01"),  # planned
        ("Lapland Ore Sensing Oy", "FI", "TAILBLOCK", "", "12", "10000.00"),
        ("Norr AB", "SE", "ORESENSE", "2021-06-30", "", "24999.99"),  # imported
        ("Lapland Ore Sensing Oy", "FI", "ORESENSE", "2021-06-30", "", "25000.10"),
    ]


def test_projects_and_calls_csv(client, data):
    projects = list(
        csv.reader(
            io.StringIO(
                client.get("/api/v1/public/projects/?format=csv&sort=acronym").content.decode()
            )
        )
    )
    calls = list(
        csv.reader(io.StringIO(client.get("/api/v1/public/calls/?format=csv").content.decode()))
    )

    assert projects[1] == [
        "ORESENSE",
        data["first"].title,
        "call-a",
        "",
        "2021-06-30",
        "",
        "50000.09",
        "Lapland Ore Sensing Oy (FI); Norr AB (SE)",
        "processing; recycling",
        "ict",
        "cobalt; lithium",
    ]
    assert sorted((r[0], r[4], r[9]) for r in calls[1:]) == [
        ("call-a", "24", "50000.09"),
        ("call-b", "2", "10000.01"),
    ]


def test_calls_list_hides_drafts(client, data):
    CallFactory(state="draft", slug="secret")

    body = client.get("/api/v1/public/calls/").json()

    assert sorted(c["slug"] for c in body["results"]) == ["call-a", "call-b"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/public/stats/",
        "/api/v1/public/calls/",
        "/api/v1/public/calls/?format=csv",
        "/api/v1/public/projects/",
        "/api/v1/public/projects/?format=csv",
        "/api/v1/public/projects/?stage=processing",
        "/api/v1/public/projects/?crm=cobalt&sector=ict&format=csv",
        "/api/v1/public/beneficiaries/",
        "/api/v1/public/beneficiaries/?format=csv",
    ],
)
def test_no_personal_data_in_open_data(client, data, url):
    text = client.get(url).content.decode()

    assert "Lapland Ore Sensing Oy" in text or "stats" in url or "calls" in url
    for person in data["people"]:
        assert (person.full_name in text, person.email in text) == (False, False)
    assert "@" not in text


def test_list_query_count_does_not_grow(client, django_assert_num_queries):
    call = results_call()
    project(call, [(sme(), "1.00"), (sme("SE"), "2.00")])
    with django_assert_num_queries(3):  # count, page, beneficiaries
        assert client.get("/api/v1/public/projects/").json()["count"] == 1
    project(call, [(sme(), "1.00")])
    project(call, [(sme(), "1.00"), (sme("PT"), "3.00")])
    with django_assert_num_queries(3):
        assert client.get("/api/v1/public/projects/?page_size=3").json()["count"] == 3


def test_open_data_is_rate_limited(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})

    codes = [client.get("/api/v1/public/stats/").status_code for _ in range(3)]

    assert codes == [200, 200, 429]


def test_signed_in_users_see_the_same_open_data(client, data):
    anonymous = client.get("/api/v1/public/projects/").json()
    client.force_login(data["people"][0])

    assert client.get("/api/v1/public/projects/").json() == anonymous


def test_a_change_replaces_the_cache_version_at_once_and_after_commit(
    django_capture_on_commit_callbacks,
):
    before = data_version()
    with django_capture_on_commit_callbacks() as callbacks:
        sme()
        during = data_version()
    for callback in callbacks:  # the public cache's bump, then the page cache's
        callback()

    assert (len(callbacks), len({before, during, data_version()})) == (2, 3)
