"""The three ways of counting facets agree, and the facet tally stays exact through changes."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from matchmaking import directory, services, tally
from matchmaking.filters import partner_filters
from matchmaking.models import PartnerProfile
from tests.calls.factories import CallFactory
from tests.factories import UserFactory
from tests.matchmaking.factories import admin_of, make_org, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory_of_five():
    call = CallFactory(configured=False, title="Call One")
    make_profile(
        make_org("Arctic Sensors Oy", "FI", "FI1D9"),
        role_sought="provider",
        stages=["exploration", "extraction"],
        sectors=["ict"],
        raw_materials=["lithium", "cobalt"],
        trl=7,
        keywords=["sensor networks"],
        call=call,
    )
    make_profile(
        make_org("Boliden Tailings AB", "SE", "SE332"),
        role_sought="adopter",
        stages=["processing"],
        sectors=["mining_services"],
        raw_materials=["copper"],
        trl=5,
        summary="Sensor data from tailings.",
    )
    make_profile(
        make_org("Castilla Tungsten SL", "ES", "ES41"),
        role_sought="adopter",
        stages=["extraction"],
        sectors=["mining_services", "resource_efficiency"],
        raw_materials=["tungsten", "lithium"],
        trl=5,
        call=call,
    )
    make_profile(
        make_org("Lapland Both Oy", "FI", "FI1D7"),
        role_sought="both",
        stages=["extraction", "processing"],
        raw_materials=["lithium"],
        summary="Sensor networks underground.",
    )
    make_profile(make_org("Draft Oy", "FI"), published=False, raw_materials=["lithium"])
    return call


def counts(facets):
    return {name: [(f["value"], f["count"]) for f in values] for name, values in facets.items()}


QUERIES = [
    "",
    "country=FI",
    "country=FI&material=lithium",
    "role=adopter&stage=extraction&trl=5",
    "nuts=FI1&sector=ict,mining_services",
    "q=sensor",
    "q=sensor&country=FI&stage=extraction",
    "call=CALL&role=adopter",
]


@pytest.mark.parametrize("query", QUERIES)
def test_counted_in_python_equals_one_query_per_facet(directory_of_five, query):
    filters = partner_filters(QueryDict(query.replace("CALL", str(directory_of_five.pk))))
    here = counts(directory.facet_counts(filters))
    # No row counted here: one query per facet.
    in_database = counts(directory.facet_counts(filters, max_rows_counted_here=0))
    assert here == in_database
    assert any(here.values())  # every query above matches something


def test_unfiltered_counts_come_from_the_tally(directory_of_five, django_assert_num_queries):
    filters = directory.PartnerFilters()
    with django_assert_num_queries(2):  # the tally, the call titles
        tallied = counts(directory.facet_counts(filters))
    assert tallied["material"] == [("cobalt", 1), ("copper", 1), ("lithium", 3), ("tungsten", 1)]
    assert tallied["call"] == [(directory_of_five.pk, 2)]
    assert tallied["trl"] == [(5, 2), (7, 1)]
    counted = counts(directory.facet_counts(filters, base=directory.published_profiles()))
    assert tallied == counted


def test_filtered_counts_take_two_queries(directory_of_five, django_assert_num_queries):
    filters = partner_filters(QueryDict("country=FI&material=lithium&q=sensor"))
    # The ids of the (newest) matches on PostgreSQL, the near-matching rows, the call titles.
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 2):
        directory.facet_counts(filters)


def tally_now():
    return {facet: values for facet, values in tally.counts().items() if values}


def test_the_tally_follows_every_change_and_equals_a_rebuild(directory_of_five):
    profile = PartnerProfile.objects.get(name="Arctic Sensors Oy")
    actor = admin_of(profile.organisation)
    services.save_profile(
        organisation=profile.organisation,
        actor=actor,
        summary="Now processing copper.",
        role_sought="adopter",
        stages=["processing"],
        raw_materials=["copper"],
        trl=4,
    )
    castilla = PartnerProfile.objects.get(name="Castilla Tungsten SL")
    services.unpublish_profile(profile=castilla, actor=admin_of(castilla.organisation))
    draft = PartnerProfile.objects.get(name="Draft Oy")
    services.publish_profile(profile=draft, actor=admin_of(draft.organisation))
    lapland = PartnerProfile.objects.get(name="Lapland Both Oy").organisation
    lapland.country, lapland.nuts_region = "SE", "SE332"
    lapland.save()
    PartnerProfile.objects.get(name="Boliden Tailings AB").organisation.delete()

    incremental = tally_now()
    assert incremental["country"] == {"FI": 2, "SE": 1}
    assert incremental["material"] == {"copper": 1, "lithium": 2}
    assert incremental["role"] == {"adopter": 1, "both": 1, "provider": 1}
    tally.rebuild()
    assert tally_now() == incremental


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking cap: PostgreSQL search")
def test_a_search_ranks_and_counts_at_most_its_newest_matches(directory_of_five, settings):
    settings.MATCHMAKING_MAX_RANKED_MATCHES = 2
    found = directory.search_profiles(partner_filters(QueryDict("q=sensor")))
    # Three profiles mention sensors; only the two newest are ranked (both in their summaries:
    # equal rank, by name), so the oldest, Arctic Sensors (name and keyword), is left out.
    assert [p.name for p in found] == ["Boliden Tailings AB", "Lapland Both Oy"]
    assert found.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking cap: PostgreSQL search")
def test_the_page_says_when_a_search_hit_the_ranking_cap(client, directory_of_five, settings):
    client.force_login(UserFactory())
    settings.MATCHMAKING_MAX_RANKED_MATCHES = 2
    capped = client.get(reverse("matchmaking:directory"), {"q": "sensor"})
    assert "2 or more profiles match these words" in capped.content.decode()
    settings.MATCHMAKING_MAX_RANKED_MATCHES = 3
    exact = client.get(reverse("matchmaking:directory"), {"q": "sensor"})
    assert "or more profiles match these words" in exact.content.decode()
    settings.MATCHMAKING_MAX_RANKED_MATCHES = 4
    whole = client.get(reverse("matchmaking:directory"), {"q": "sensor"})
    assert "or more profiles match these words" not in whole.content.decode()
