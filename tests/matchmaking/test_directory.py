import pytest
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict

from matchmaking import directory, services
from matchmaking.filters import partner_filters
from tests.calls.factories import CallFactory
from tests.matchmaking.factories import admin_of, make_org, make_profile

pytestmark = pytest.mark.django_db


def names(queryset):
    return [p.organisation.legal_name for p in queryset]


def run(query: str):
    return names(directory.search_profiles(partner_filters(QueryDict(query))))


@pytest.fixture
def crafted():
    make_profile(
        make_org("Arctic Sensors Oy", "FI", "FI1D9"),
        role_sought="provider",
        stages=["exploration", "extraction"],
        sectors=["ict"],
        raw_materials=["lithium", "cobalt"],
        trl=7,
        keywords=["sensor networks"],
    )
    make_profile(
        make_org("Boliden Tailings AB", "SE", "SE332"),
        role_sought="adopter",
        stages=["processing"],
        sectors=["mining_services"],
        raw_materials=["copper"],
        trl=5,
    )
    make_profile(
        make_org("Castilla Tungsten SL", "ES", "ES41"),
        role_sought="adopter",
        stages=["extraction"],
        sectors=["mining_services", "resource_efficiency"],
        raw_materials=["tungsten", "lithium"],
        trl=5,
    )
    make_profile(
        make_org("Draft Only Oy", "FI", "FI1D7"),
        published=False,
        role_sought="provider",
        stages=["extraction"],
        raw_materials=["lithium"],
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Arctic Sensors Oy", "Boliden Tailings AB", "Castilla Tungsten SL"]),
        ("country=FI", ["Arctic Sensors Oy"]),
        ("country=SE&country=ES", ["Boliden Tailings AB", "Castilla Tungsten SL"]),
        ("nuts=SE33", ["Boliden Tailings AB"]),
        ("nuts=ES41", ["Castilla Tungsten SL"]),
        ("stage=extraction", ["Arctic Sensors Oy", "Castilla Tungsten SL"]),
        ("stage=processing,exploration", ["Arctic Sensors Oy", "Boliden Tailings AB"]),
        ("sector=resource_efficiency", ["Castilla Tungsten SL"]),
        ("material=lithium", ["Arctic Sensors Oy", "Castilla Tungsten SL"]),
        ("material=lithium&country=ES", ["Castilla Tungsten SL"]),
        ("role=adopter", ["Boliden Tailings AB", "Castilla Tungsten SL"]),
        ("role=adopter&stage=extraction", ["Castilla Tungsten SL"]),
        ("trl=7", ["Arctic Sensors Oy"]),
        ("trl=5&trl=7&material=copper", ["Boliden Tailings AB"]),
        ("q=tungsten", ["Castilla Tungsten SL"]),
        ("q=sensor", ["Arctic Sensors Oy"]),
        ("q=draft", []),
        ("material=tungsten&role=provider", []),
    ],
)
def test_every_facet_filters_and_combines_and_drafts_are_invisible(crafted, query, expected):
    assert run(query) == expected


def test_facet_counts_are_disjunctive(crafted, django_assert_max_num_queries):
    filters = partner_filters(QueryDict("country=ES&role=adopter"))
    with django_assert_max_num_queries(9):  # one per facet (8) + call titles
        facets = directory.facet_counts(filters)
    # Country ignores its own selection but applies role=adopter: SE 1, ES 1 (FI is a provider).
    assert [(f["value"], f["count"], f["selected"]) for f in facets["country"]] == [
        ("ES", 1, True),
        ("SE", 1, False),
    ]
    # Role ignores role, applies country=ES.
    assert [(f["value"], f["count"]) for f in facets["role"]] == [("adopter", 1)]
    # Other facets apply both.
    assert [(f["value"], f["count"]) for f in facets["material"]] == [
        ("lithium", 1),
        ("tungsten", 1),
    ]
    assert [(f["value"], f["count"]) for f in facets["sector"]] == [
        ("resource_efficiency", 1),
        ("mining_services", 1),
    ]
    assert [(f["value"], f["count"]) for f in facets["trl"]] == [(5, 1)]
    assert [(f["value"], f["count"]) for f in facets["nuts"]] == [("ES41", 1)]


def test_unfiltered_facet_counts(crafted):
    facets = directory.facet_counts(partner_filters(QueryDict("")))
    assert [(f["value"], f["count"]) for f in facets["stage"]] == [
        ("exploration", 1),
        ("extraction", 2),
        ("processing", 1),
    ]
    assert [(f["value"], f["count"]) for f in facets["country"]] == [
        ("ES", 1),
        ("FI", 1),
        ("SE", 1),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "country=ZZ",
        "stage=moon",
        "material=kryptonite",
        "trl=11",
        "role=investor",
        "nuts=F!",
        "sort=random",
    ],
)
def test_nonsense_filters_are_validation_errors(query):
    with pytest.raises(ValidationError):
        partner_filters(QueryDict(query))


def test_search_covers_every_text_field_and_ranks_name_over_offers():
    make_profile(make_org("Graphene Works Oy"), summary="Composites.")
    make_profile(make_org("Alpha Minerals Oy"), summary="We mine graphene-bearing rock.")
    make_profile(
        make_org("Beta Robotics Oy"),
        summary="Robots.",
        offers=[{"title": "Drilling robots", "description": "they handle graphene samples"}],
    )
    make_profile(make_org("Gamma Oy"), summary="Ore logistics.", expertise="graphene logistics")
    make_profile(make_org("Delta Oy"), summary="Nothing related.", keywords=["graphene"])
    make_profile(make_org("Epsilon Oy"), summary="Nothing related at all.")
    found = run("q=graphene")
    assert sorted(found) == [
        "Alpha Minerals Oy",
        "Beta Robotics Oy",
        "Delta Oy",
        "Gamma Oy",
        "Graphene Works Oy",
    ]


def test_ranking_order_on_postgresql_weights_name_keywords_summary_offers():
    make_profile(make_org("Cobalt Offers Oy 1"), summary="Nothing.")  # name: A
    make_profile(make_org("Zeta Oy"), summary="We study cobalt.")  # summary: B
    make_profile(
        make_org("Aaro Oy"),
        summary="Nothing.",
        requests=[{"title": "cobalt", "description": ""}],
    )  # request: C
    found = run("q=cobalt")
    if connection.vendor == "postgresql":
        assert found == ["Cobalt Offers Oy 1", "Zeta Oy", "Aaro Oy"]
    else:  # the SQLite fallback orders matches by name
        assert found == ["Aaro Oy", "Cobalt Offers Oy 1", "Zeta Oy"]


def test_the_whole_directory_pages_by_name_and_by_newest(crafted):
    pages = Paginator(directory.search_profiles(partner_filters(QueryDict(""))), 2)
    assert pages.count == 3
    assert names(pages.page(1).object_list) == ["Arctic Sensors Oy", "Boliden Tailings AB"]
    assert names(pages.page(2).object_list) == ["Castilla Tungsten SL"]
    newest = Paginator(directory.search_profiles(partner_filters(QueryDict("sort=newest"))), 2)
    assert names(newest.page(1).object_list) == ["Castilla Tungsten SL", "Boliden Tailings AB"]
    assert names(newest.page(2).object_list) == ["Arctic Sensors Oy"]


def test_a_search_pages_through_its_sorted_matches():
    for name in ["Echo Cobalt Oy", "Alpha Cobalt Oy", "Delta Cobalt Oy", "Bravo Cobalt Oy"]:
        make_profile(make_org(name), summary="We refine cobalt.")
    make_profile(make_org("Charlie Copper Oy"), summary="We refine copper.")
    pages = Paginator(
        directory.search_profiles(partner_filters(QueryDict("q=cobalt&sort=name"))), 3
    )
    assert pages.count == 4
    assert names(pages.page(1).object_list) == [
        "Alpha Cobalt Oy",
        "Bravo Cobalt Oy",
        "Delta Cobalt Oy",
    ]
    assert names(pages.page(2).object_list) == ["Echo Cobalt Oy"]
    newest = Paginator(
        directory.search_profiles(partner_filters(QueryDict("q=cobalt&sort=newest"))), 3
    )
    assert names(newest.page(2).object_list) == ["Echo Cobalt Oy"]


def test_ranked_matches_page_in_rank_order():
    make_profile(
        make_org("Aaro Oy"), summary="Nothing.", requests=[{"title": "cobalt", "description": ""}]
    )
    make_profile(make_org("Zeta Oy"), summary="We study cobalt.")
    make_profile(make_org("Cobalt Offers Oy 1"), summary="Nothing.")
    pages = Paginator(directory.search_profiles(partner_filters(QueryDict("q=cobalt"))), 2)
    assert pages.count == 3
    if connection.vendor == "postgresql":  # name (A), summary (B), request (C)
        assert names(pages.page(1).object_list) == ["Cobalt Offers Oy 1", "Zeta Oy"]
        assert names(pages.page(2).object_list) == ["Aaro Oy"]
    else:  # the SQLite fallback orders matches by name
        assert names(pages.page(1).object_list) == ["Aaro Oy", "Cobalt Offers Oy 1"]
        assert names(pages.page(2).object_list) == ["Zeta Oy"]


def test_search_vector_follows_profile_edits():
    profile = make_profile(make_org("Omega Oy"), summary="Gallium recovery.")
    assert run("q=gallium") == ["Omega Oy"]
    services.save_profile(
        organisation=profile.organisation,
        actor=admin_of(profile.organisation),
        summary="Germanium recovery.",
        role_sought="provider",
    )
    assert run("q=gallium") == []
    assert run("q=germanium") == ["Omega Oy"]


def test_call_facet_filters_and_counts(crafted):
    call = CallFactory(configured=False, title="Call One")
    make_profile(make_org("Call Seeker Oy", "FI"), role_sought="adopter", call=call)
    assert run(f"call={call.pk}") == ["Call Seeker Oy"]
    facets = directory.facet_counts(partner_filters(QueryDict("")))
    assert facets["call"] == [
        {"value": call.pk, "label": "Call One", "count": 1, "selected": False}
    ]


def test_profile_cannot_target_a_closed_or_draft_call():
    draft = CallFactory(configured=False, state="draft")
    with pytest.raises(ValidationError) as excinfo:
        make_profile(call=draft)
    assert list(excinfo.value.message_dict) == ["call"]
