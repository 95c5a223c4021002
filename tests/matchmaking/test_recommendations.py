import pytest

from accounts.models import Organisation
from matchmaking import recommendations, services
from tests.calls.factories import CallFactory
from tests.matchmaking.factories import admin_of, make_org, make_profile, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    return make_profile(
        make_org("Kainuu Nickel Oy", "FI", "FI1D8"),
        role_sought="adopter",
        stages=["extraction"],
        raw_materials=["nickel", "cobalt", "lithium"],
        keywords=["bioleaching", "tailings"],
    ).organisation


@pytest.fixture
def crafted(me):
    # provider 30 + other country 20 + 3 materials capped 30 + adjacent 15 + 2 keywords 10 = 105
    make_profile(
        make_org("Oulu Sensor Networks GmbH", "DE", "DE111"),
        role_sought="provider",
        stages=["processing"],
        raw_materials=["nickel", "cobalt", "lithium", "copper"],
        keywords=["tailings", "bioleaching", "iot"],
        offers=[{"title": "Sensor networks", "description": "wireless"}],
    )
    # provider 30 + same country 0 + lithium 10 = 40
    make_profile(
        make_org("Lapland Lithium Provider Oy", "FI", "FI1D7"),
        role_sought="provider",
        raw_materials=["lithium"],
    )
    # adopter 0 + other country 20 + adjacent (exploration) 15 = 35
    make_profile(
        make_org("Beira Exploration Lda", "PT", "PT16"),
        role_sought="adopter",
        stages=["exploration"],
    )
    # both 15 + other country 20 = 35; ties with Beira, sorted by name after it
    make_profile(make_org("Castilla Both SL", "ES", "ES41"), role_sought="both")
    # adopter, same country, nothing shared: score 0, left out
    make_profile(make_org("Zero Match Oy", "FI", "FI1D9"), role_sought="adopter")
    # would score high, but unpublished
    make_profile(
        make_org("Hidden Provider AB", "SE", "SE332"),
        published=False,
        role_sought="provider",
        raw_materials=["nickel"],
    )


def test_ranking_and_scores_on_crafted_profiles(me, crafted):
    result = recommendations.recommend(me)
    assert [(r.profile.organisation.legal_name, r.score) for r in result] == [
        ("Oulu Sensor Networks GmbH", 105),
        ("Lapland Lithium Provider Oy", 40),
        ("Beira Exploration Lda", 35),
        ("Castilla Both SL", 35),
    ]


def test_each_recommendation_says_why(me, crafted):
    result = {r.profile.organisation.legal_name: r for r in recommendations.recommend(me)}
    assert result["Oulu Sensor Networks GmbH"].summary == (
        "provider of sensor networks, Germany, also works on cobalt, lithium, nickel, "
        "active in processing, next to your stages, shares keywords: bioleaching, tailings"
    )
    assert result["Lapland Lithium Provider Oy"].reasons == ["provider", "also works on lithium"]
    assert result["Beira Exploration Lda"].reasons == [
        "Portugal",
        "active in exploration, next to your stages",
    ]
    assert result["Castilla Both SL"].reasons == ["adopter and provider", "Spain"]


def test_limit_and_determinism(me, crafted):
    first = [r.profile.pk for r in recommendations.recommend(me, limit=3)]
    second = [r.profile.pk for r in recommendations.recommend(me, limit=3)]
    assert first == second
    assert len(first) == 3


def test_blocked_organisations_are_not_recommended_either_way(me, crafted):
    sensor = Organisation.objects.get(legal_name="Oulu Sensor Networks GmbH")
    services.block_organisation(blocker=me, blocked=sensor, actor=member_of(me))
    assert "Oulu Sensor Networks GmbH" not in [
        r.profile.organisation.legal_name for r in recommendations.recommend(me)
    ]
    lithium = Organisation.objects.get(legal_name="Lapland Lithium Provider Oy")
    services.block_organisation(blocker=lithium, blocked=me, actor=admin_of(lithium))
    assert [r.profile.organisation.legal_name for r in recommendations.recommend(me)] == [
        "Beira Exploration Lda",
        "Castilla Both SL",
    ]


def test_no_profile_no_recommendations():
    assert recommendations.recommend(make_org("Newcomer Oy")) == []


def test_query_count_does_not_grow_with_results(me, django_assert_num_queries):
    make_profile(make_org("One Provider AB", "SE"), role_sought="provider")
    # Own profile; best complementary profiles; (too few of them) best of everyone.
    with django_assert_num_queries(3) as ctx:
        assert len(recommendations.recommend(me)) == 1
    for i in range(2):
        make_profile(make_org(f"More Provider {i} AB", "SE"), role_sought="provider")
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert len(recommendations.recommend(me)) == 3


def test_a_call_restricts_which_countries_count_as_eligible(me):
    call = CallFactory(configured=False, eligible_countries=["FI", "SE"])
    services.save_profile(
        organisation=me, actor=admin_of(me), summary="x", role_sought="adopter", call=call
    )
    make_profile(make_org("Swedish Provider AB", "SE"), role_sought="provider")
    make_profile(make_org("Austrian Provider GmbH", "AT"), role_sought="provider")
    result = recommendations.recommend(me)
    assert [(r.profile.organisation.legal_name, r.score, r.reasons) for r in result] == [
        ("Swedish Provider AB", 50, ["provider", "Sweden"]),
        ("Austrian Provider GmbH", 30, ["provider"]),
    ]


def test_adopters_are_described_by_what_they_look_for():
    me = make_profile(make_org("Provider Me Oy", "FI"), role_sought="provider").organisation
    make_profile(
        make_org("Seeking Mine AB", "SE"),
        role_sought="adopter",
        requests=[{"title": "Ore sorting", "description": ""}],
    )
    make_profile(make_org("Keyword Mine SL", "ES"), role_sought="adopter", keywords=["tailings"])
    assert [r.reasons for r in recommendations.recommend(me)] == [
        ["adopter working on tailings", "Spain"],
        ["adopter looking for ore sorting", "Sweden"],
    ]


def test_scoring_complementary_roles_first_changes_nothing(me, crafted, django_assert_num_queries):
    everyone = [(r.profile.pk, r.score) for r in recommendations.recommend(me)]
    assert len(everyone) >= 4
    for limit in range(1, len(everyone) + 1):
        assert [(r.profile.pk, r.score) for r in recommendations.recommend(me, limit=limit)] == (
            everyone[:limit]
        )
    # The best provider (105) beats anything an adopter could reach against "me" (20 + 30 +
    # 15 + 10 = 75): the adopters are not scored at all.
    assert recommendations.best_without_role(me.partner_profile) == 75
    with django_assert_num_queries(2):
        assert recommendations.recommend(me, limit=1)[0].score == 105
