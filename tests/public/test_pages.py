import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calls.models import ApplicationState, CallState
from public.models import CallFigures
from tests.calls.factories import CallFactory
from tests.factories import MembershipFactory, UserFactory
from tests.matchmaking.factories import make_profile
from tests.public.factories import imported_award, project, results_call, sme

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    shared = sme("FI", legal_name="Lapland Ore Sensing Oy")
    call = results_call(slug="call-a", title="Call A")
    first = project(
        call,
        [(shared, "25000.10"), (sme("SE", legal_name="Norr AB"), "24999.99")],
        acronym="ORESENSE",
    )
    imported_award(first, "2021-06-30")
    project(
        results_call(slug="call-b", title="Call B"), [(shared, "10000.00")], acronym="TAILBLOCK"
    )
    rejected = project(
        call, [(sme("PT", legal_name="Hidden Lda"), "5.00")], state=ApplicationState.REJECTED
    )
    CallFigures.objects.create(call=call, proposals_received=24, proposals_eligible=20)
    open_call = CallFactory(title="Call C is open", slug="call-c")
    person = UserFactory(full_name="Aino Virtanen", email="aino.virtanen@example.eu")
    MembershipFactory(user=person, organisation=shared)
    make_profile(shared, stages=["processing"], raw_materials=["cobalt"], contact_person=person)
    return {"first": first, "rejected": rejected, "open_call": open_call, "person": person}


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_home_shows_open_calls_key_figures_and_latest_projects(client, data):
    text = text_of(client.get(reverse("public:home")))

    assert "Call C is open" in text
    assert '<dd data-figure="projects_funded">2</dd>' in text
    assert '<dd data-figure="smes_funded">2</dd>' in text
    assert '<dd data-figure="total_awarded">€60,000.09</dd>' in text
    assert text.index("ORESENSE") < text.index("TAILBLOCK")  # dated award first
    assert "Hidden Lda" not in text


def test_projects_page_filters_and_csv_link(client, data):
    unfiltered = text_of(client.get(reverse("public:projects")))
    assert (
        "2 funded projects" in unfiltered,
        unfiltered.index("ORESENSE") < unfiltered.index("TAILBLOCK"),
    ) == (
        True,
        True,
    )
    text = text_of(client.get(reverse("public:projects"), {"country": "SE"}))

    assert ("ORESENSE" in text, "TAILBLOCK" in text) == (True, False)
    assert "1 funded project" in text
    assert "/api/v1/public/projects/?country=SE&amp;format=csv" in text


def test_projects_page_with_a_bad_filter_shows_the_error_and_no_rows(client, data):
    text = text_of(client.get(reverse("public:projects"), {"country": "XX"}))

    assert "Select a valid choice" in text
    assert "ORESENSE" not in text


@pytest.mark.parametrize(
    ("url", "query", "message"),
    [
        ("public:projects", {"search": "x" * 101}, "at most 100 characters"),
        ("public:projects", {"call": "c" * 81}, "at most 80 characters"),
        ("public:projects", {"voucher_type": "v" * 101}, "at most 100 characters"),
        ("public:beneficiaries", {"search": "bad\x00"}, "Null characters are not allowed"),
    ],
)
def test_every_bad_filter_value_says_why_the_list_is_empty(client, data, url, query, message):
    text = text_of(client.get(reverse(url), query))

    assert message in text
    assert "ORESENSE" not in text


def test_project_page_shows_the_consortium_with_amounts(client, data):
    text = text_of(client.get(reverse("public:project-detail", args=[data["first"].pk])))

    assert '<dd data-figure="amount">€50,000.09</dd>' in text
    assert ("Lapland Ore Sensing Oy" in text, "Sweden" in text, "24,999.99" in text) == (
        True,
        True,
        True,
    )


def test_project_page_of_an_unfunded_application_is_404(client, data):
    assert (
        client.get(reverse("public:project-detail", args=[data["rejected"].pk])).status_code == 404
    )


def test_beneficiaries_page_per_call(client, data):
    text = text_of(client.get(reverse("public:beneficiaries"), {"call": "call-b"}))

    assert ("TAILBLOCK" in text, "ORESENSE" in text) == (True, False)


def test_figures_page_has_charts_and_tables(client, data):
    text = text_of(client.get(reverse("public:figures")))

    assert text.count("<svg") == 6
    assert '<tr data-call="call-a">' in text
    assert "4.2 %" in text  # 1 project funded of 24 proposals received
    assert "Finland" in text


def test_decisions_page_is_honest_about_what_is_missing(client):
    text = text_of(client.get(reverse("public:decisions")))

    assert "No committee decision is published here yet" in text
    assert "verify_ledger" in text


def test_open_data_page_lists_the_endpoints(client):
    text = text_of(client.get(reverse("public:open-data")))

    assert [
        url in text for url in ("/api/v1/public/stats/", "/api/v1/public/projects/?format=csv")
    ] == [
        True,
        True,
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/projects/",
        "/projects/?stage=processing",
        "/projects/?crm=cobalt&stage=processing&country=FI",
        "project-detail",
        "/beneficiaries/",
        "/beneficiaries/?call=call-a&sort=-amount",
        "/figures/",
        "/open-data/",
    ],
)
def test_no_personal_data_on_public_pages(client, data, url):
    if url == "project-detail":
        url = reverse("public:project-detail", args=[data["first"].pk])
    text = text_of(client.get(url))

    assert (data["person"].full_name in text, data["person"].email in text) == (False, False)
    assert "Lapland Ore Sensing Oy" in text or url in ("/", "/open-data/", "/figures/")


@pytest.mark.parametrize("query", [{}, {"stage": "processing", "crm": "cobalt"}])
def test_projects_page_query_count_does_not_grow(client, django_assert_num_queries, query):
    call = results_call(state=CallState.RESULTS_PUBLISHED)
    processor = sme()
    make_profile(processor, stages=["processing"], raw_materials=["cobalt"])
    project(call, [(processor, "1.00"), (sme("SE"), "2.00")])
    client.get(reverse("public:projects"))  # warm up: session, content types

    def count():
        # voucher types, countries with beneficiaries, count, page, beneficiaries, calls, and
        # when the next call, the next event and the next impact follow-up change by the clock
        # (how long the page may be cached); the count and the page are kept per data
        # version: forgotten here, to measure a page read afresh.
        cache.clear()
        with django_assert_num_queries(9) as ctx:
            assert "PRJ" in client.get(reverse("public:projects"), query).content.decode()
        return len(ctx.captured_queries)

    first = count()
    project(call, [(processor, "1.00")])
    project(call, [(processor, "1.00"), (sme("PT"), "3.00")])
    assert count() == first


@pytest.mark.parametrize(
    "url",
    [
        "/beneficiaries/",
        "/figures/",
        "/",
        "/api/v1/public/beneficiaries/?page_size=9",
        "/api/v1/public/calls/",
        "/api/v1/public/stats/",
    ],
)
def test_other_lists_query_count_does_not_grow(client, url):
    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    project(results_call(), [(sme(), "1.00"), (sme("SE"), "2.00")])
    client.get(url)
    one = count()
    project(results_call(), [(sme(), "1.00")])
    project(results_call(), [(sme(), "1.00"), (sme("PT"), "3.00")])
    assert count() == one


def test_home_reads_the_latest_projects_once_per_data_version(client, data):
    text_of(client.get(reverse("public:home")))  # reads and caches them
    with CaptureQueriesContext(connection) as captured:
        cached_text = text_of(client.get(reverse("public:home")))
    assert cached_text.index("ORESENSE") < cached_text.index("TAILBLOCK")
    assert [q["sql"] for q in captured.captured_queries if "public_projectaward" in q["sql"]] == []

    newest = project(results_call(slug="call-d"), [(sme("ES"), "1000.00")], acronym="NEWEST")
    imported_award(newest, "2099-01-01")  # a change: a new version

    text = text_of(client.get(reverse("public:home")))
    assert text.index("NEWEST") < text.index("ORESENSE") < text.index("TAILBLOCK")


def test_projects_page_counts_once_per_data_version_and_filters(client, data):
    url = reverse("public:projects")
    assert "2 funded projects" in text_of(client.get(url))
    assert "1 funded project" in text_of(client.get(url, {"country": "SE"}))
    with CaptureQueriesContext(connection) as captured:
        assert "2 funded projects" in text_of(client.get(url, {"page": "1"}))
    assert [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()] == []

    newest = project(results_call(slug="call-d"), [(sme("SE"), "1000.00")], acronym="NEWEST")
    imported_award(newest, "2099-01-01")

    assert "3 funded projects" in text_of(client.get(url))
    assert "2 funded projects" in text_of(client.get(url, {"country": "SE"}))
