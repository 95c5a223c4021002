"""The speed-ups of "Partners for you" change nothing: keyword bits and the PostgreSQL shortlist."""

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaking import recommendations, shortlist
from matchmaking.keyword_bits import keyword_bit, keyword_mask
from matchmaking.models import PartnerProfile
from tests.matchmaking.factories import make_org, make_profile

pytestmark = pytest.mark.django_db
keyword_migration = importlib.import_module("matchmaking.migrations.0008_keyword_bits")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the shortlist is PostgreSQL only"
)

MATERIALS = ["nickel", "cobalt", "lithium", "copper"]


def test_a_keywords_bit_never_changes():
    # Stored profiles keep their bits: a different hash would silently stop matching them.
    assert keyword_bit("lithium") == 1 << 50
    assert keyword_bit("sensor networks") == 1 << 21
    assert keyword_mask(["lithium", "sensor networks"]) == (1 << 50) | (1 << 21)
    assert keyword_mask([]) == 0


def test_saving_a_profile_stores_its_keyword_bits():
    profile = make_profile(make_org("Bits Oy"), keywords=["Lithium", "sensor  networks"])
    profile.refresh_from_db()
    assert profile.keyword_bits == keyword_mask(["lithium", "sensor networks"])


@on_postgresql
def test_the_migration_computes_the_same_bits_in_sql():
    make_profile(make_org("Sql Bits Oy"), keywords=["tailings", "ore sorting", "éluviaux"])
    make_profile(make_org("No Keywords Oy"))
    PartnerProfile.objects.update(keyword_bits=0)
    with connection.cursor() as cursor:
        cursor.execute(keyword_migration.FILL_SQL, [])  # [] so that %% reads as %
    for keywords, bits in PartnerProfile.objects.values_list("keywords", "keyword_bits"):
        assert bits == keyword_mask(keywords)


def test_a_keyword_sharing_only_a_bit_scores_nothing():
    me = make_profile(make_org("Me Oy", "FI"), role_sought="adopter", keywords=["tailings"])
    other = make_profile(make_org("Other AB", "SE"), role_sought="provider", keywords=["x"])
    # Give the other profile our keyword's bit without the keyword (a hash collision).
    PartnerProfile.objects.filter(pk=other.pk).update(keyword_bits=keyword_bit("tailings"))
    [found] = recommendations.recommend(me.organisation)
    assert (found.score, found.reasons) == (50, ["provider of x", "Sweden"])


def test_shortlist_needs_two_to_six_of_our_materials():
    def short(count):
        return shortlist.shortlist(
            material_mask=(1 << count) - 1,
            best_possible=100,
            material_points=min(30, 10 * count),
            per_material=10,
        )

    assert short(1) is None  # nothing to pair
    assert short(7) is None  # 21 pairs: more lookups than they save
    # Sharing one of two materials is 10 short of the best: the threshold must sit above.
    assert short(2).threshold == 91
    assert "ARRAY[0, 1]" in str(short(2).condition)
    # Sharing one of three is 20 short: the whole slack.
    three = short(3)
    assert three.threshold == 100 - shortlist.SLACK
    assert "ARRAY[0, 2]" in str(three.condition)


def _me_with_materials(count=3):
    return make_profile(
        make_org("Kainuu Nickel Oy", "FI"),
        role_sought="adopter",
        stages=["extraction"],
        raw_materials=MATERIALS[:count],
        keywords=["bioleaching", "tailings"],
    ).organisation


def _provider(name, country, materials, **fields):
    return make_profile(
        make_org(name, country), role_sought="provider", raw_materials=materials, **fields
    )


def _ranking(me, limit, *, shortlisted=True):
    return [
        (r.profile.pk, r.score, r.reasons)
        for r in recommendations.recommend(me, limit=limit, shortlisted=shortlisted)
    ]


def _ranking_without_shortlist(me, limit):
    return _ranking(me, limit, shortlisted=False)


@on_postgresql
@pytest.mark.parametrize(
    ("our_materials", "scores"),
    [
        # 105 at best against "me"; the shortlist (two of our materials) holds everyone >= 90.
        (3, [100, 95, 90, 80, 70, 65, 50]),
        # 95 at best; sharing one of our two is 85 at best: the shortlist holds everyone >= 86.
        (2, [95, 90, 80, 80, 70, 55, 50]),
    ],
)
def test_the_shortlist_ranks_as_scoring_everyone(our_materials, scores):
    me = _me_with_materials(our_materials)
    _provider("Triple Metals GmbH", "DE", MATERIALS, stages=["processing"], keywords=["tailings"])
    _provider(
        "Pair Metals SL",
        "ES",
        MATERIALS[:2],
        stages=["processing"],
        keywords=["bioleaching", "tailings"],
    )
    _provider(
        "Another Pair Lda", "PT", MATERIALS[1:3], stages=["exploration"], keywords=["bioleaching"]
    )
    _provider("Low Pair Lda", "PT", MATERIALS[:2])
    _provider("Single Metal AB", "SE", ["nickel"], stages=["exploration"], keywords=["tailings"])
    _provider("Nothing Shared AS", "NO", ["tungsten"])
    make_profile(make_org("Both Roles BV", "NL"), role_sought="both", raw_materials=MATERIALS)
    for limit in range(1, 9):
        expected = _ranking_without_shortlist(me, limit)
        with CaptureQueriesContext(connection) as queries:
            assert _ranking(me, limit) == expected
        assert any("recommend_shortlist" in query["sql"] for query in queries)
    assert [score for _pk, score, _r in _ranking(me, 8)] == scores


@on_postgresql
def test_when_the_shortlist_falls_short_everyone_is_ranked_in_the_same_query(
    django_assert_num_queries,
):
    me = _me_with_materials()
    _provider("Pair Metals SL", "ES", MATERIALS[:2], stages=["processing"])  # 85
    _provider("Single Metal AB", "SE", ["nickel"], stages=["exploration"], keywords=["tailings"])
    _provider("Other Metal AB", "SE", ["cobalt"], stages=["processing"], keywords=["bioleaching"])
    expected = _ranking_without_shortlist(me, 3)
    # None reaches the shortlist's 90; all beat what an adopter could reach (75).
    assert [score for _pk, score, _r in expected] == [85, 80, 80]
    # Own profile; the shortlist and (it holds one of three) everyone, in one statement.
    with django_assert_num_queries(2):
        assert _ranking(me, 3) == expected


def test_no_shortlist_on_sqlite_or_with_few_materials():
    me = make_profile(make_org("Few Oy"), role_sought="adopter", raw_materials=["nickel"])
    assert recommendations.shortlist_for(me) is None
    if connection.vendor != "postgresql":
        rich = make_profile(make_org("Rich Oy"), role_sought="adopter", raw_materials=MATERIALS)
        assert recommendations.shortlist_for(rich) is None
