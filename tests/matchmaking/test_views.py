import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking import services
from matchmaking.models import ExpressionOfInterest, OrganisationBlock, PartnerProfile
from tests.factories import UserFactory
from tests.matchmaking.factories import admin_of, make_org, make_profile, member_of

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("matchmaking:directory")


def sidebar(response, facet: str) -> list[tuple[str, str, int, bool]]:
    """The checkboxes of `facet` in the page's filters: (value, label, count, checked)."""
    pattern = (
        rf'name="{facet}" value="([^"]*)"( checked)?>\s*([^<]*?) <span class="muted">\((\d+)\)'
    )
    return [
        (value, label, int(count), bool(checked))
        for value, checked, label, count in re.findall(pattern, response.content.decode())
    ]


@pytest.fixture
def two():
    a = make_profile(make_org("Arctic Adopter Oy", "FI"), role_sought="adopter", summary="We mine.")
    b = make_profile(
        make_org("Baltic Provider AB", "SE", "SE332"),
        role_sought="provider",
        summary="We sense.",
        keywords=["sensor networks"],
    )
    return a, b


def test_anonymous_sees_only_counts_and_a_sign_up_prompt(client, two):
    response = client.get(DIRECTORY)
    body = response.content.decode()
    assert response.templates[0].name == "matchmaking/directory_anonymous.html"
    assert "2 organisations are looking for partners" in body
    assert "Arctic Adopter Oy" not in body
    assert "We sense." not in body
    detail = client.get(reverse("matchmaking:profile", args=[two[0].pk]))
    assert detail.status_code == 302
    assert detail.url.startswith(reverse("account_login"))


def test_the_anonymous_counts_follow_publication_and_countries(client, two):
    def teaser() -> list[str]:
        body = client.get(DIRECTORY).content.decode()
        return re.findall(
            r"\d+ organisations? (?:is|are) looking for partners|From \d+ countr\w+\.", body
        )

    assert teaser() == ["2 organisations are looking for partners", "From 2 countries."]
    castilla = make_profile(make_org("Castilla Oy", "ES"))
    make_profile(make_org("Bothnia Oy", "SE"))
    make_profile(make_org("Draft Oy", "PT"), published=False)
    assert teaser() == ["4 organisations are looking for partners", "From 3 countries."]
    services.unpublish_profile(profile=castilla, actor=admin_of(castilla.organisation))
    services.unpublish_profile(profile=two[1], actor=admin_of(two[1].organisation))
    assert teaser() == ["2 organisations are looking for partners", "From 2 countries."]
    services.unpublish_profile(profile=two[0], actor=admin_of(two[0].organisation))
    assert teaser() == ["1 organisation is looking for partners", "From 1 country."]


def test_signed_in_directory_lists_published_profiles_without_contact_details(client, two):
    a, b = two
    make_profile(make_org("Hidden Draft Oy"), published=False)
    client.force_login(admin_of(a.organisation))
    body = client.get(DIRECTORY).content.decode()
    assert "Arctic Adopter Oy" in body
    assert "Baltic Provider AB" in body
    assert "Hidden Draft Oy" not in body
    assert admin_of(b.organisation).email not in body
    assert "2 partners found" in body


def test_the_directory_counts_what_its_reader_may_see(client, two):
    a, b = two
    make_profile(make_org("Castilla Oy", "ES"))
    make_profile(make_org("Draft Oy", "PT"), published=False)
    services.block_organisation(
        blocker=a.organisation, blocked=b.organisation, actor=admin_of(a.organisation)
    )
    client.force_login(admin_of(a.organisation))
    page = client.get(DIRECTORY).context["page"]
    assert page.paginator.count == 2
    assert [p.name for p in page.object_list] == ["Arctic Adopter Oy", "Castilla Oy"]
    client.force_login(UserFactory())
    page = client.get(DIRECTORY).context["page"]
    assert page.paginator.count == 3
    assert [p.name for p in page.object_list] == [
        "Arctic Adopter Oy",
        "Baltic Provider AB",
        "Castilla Oy",
    ]


def test_directory_search_and_facets_in_the_page(client, two):
    client.force_login(admin_of(two[0].organisation))
    response = client.get(DIRECTORY, {"q": "sensor", "country": "SE"})
    assert [p.organisation.legal_name for p in response.context["page"].object_list] == [
        "Baltic Provider AB"
    ]
    assert sidebar(response, "country") == [("SE", "Sweden", 1, True)]
    htmx = client.get(DIRECTORY, {"role": "adopter"}, headers={"HX-Request": "true"})
    rendered = [template.name for template in htmx.templates]
    assert "matchmaking/_results.html" in rendered
    assert "matchmaking/directory.html" not in rendered
    assert [p.organisation.legal_name for p in htmx.context["page"].object_list] == [
        "Arctic Adopter Oy"
    ]


def test_bad_filter_is_a_message_not_an_error(client, two):
    client.force_login(admin_of(two[0].organisation))
    response = client.get(DIRECTORY, {"stage": "moon"})
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Unknown value: moon."]
    assert response.context["page"].paginator.count == 2


def test_draft_profile_is_invisible_to_others_but_visible_to_its_members(client):
    draft = make_profile(make_org("Draft Oy"), published=False)
    client.force_login(UserFactory())
    assert client.get(reverse("matchmaking:profile", args=[draft.pk])).status_code == 403
    client.force_login(member_of(draft.organisation))
    assert (
        "Draft Oy" in client.get(reverse("matchmaking:profile", args=[draft.pk])).content.decode()
    )


def test_full_contact_flow_in_pages(client, two):
    a, b = two
    sender = admin_of(a.organisation)
    receiver = admin_of(b.organisation)
    profile_url = reverse("matchmaking:profile", args=[b.pk])
    client.force_login(sender)
    assert receiver.email not in client.get(profile_url).content.decode()
    response = client.post(
        reverse("matchmaking:send-interest", args=[b.pk]), {"message": "Pilot in Kittilä?"}
    )
    assert response.status_code == 302
    interest = ExpressionOfInterest.objects.get()
    client.force_login(receiver)
    inbox = client.get(reverse("matchmaking:interests")).content.decode()
    assert "Pilot in Kittilä?" in inbox
    assert sender.email not in inbox
    confirm = client.get(reverse("matchmaking:accept", args=[interest.pk]))
    assert "This cannot be undone." in confirm.content.decode()
    client.post(reverse("matchmaking:accept", args=[interest.pk]))
    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.ACCEPTED
    assert sender.email in client.get(reverse("matchmaking:interests")).content.decode()
    client.force_login(sender)
    assert receiver.email in client.get(profile_url).content.decode()


def test_only_the_receiver_can_answer_in_pages(client, two):
    a, b = two
    interest = services.send_interest(
        sender=a.organisation, receiver=b.organisation, actor=admin_of(a.organisation), message="Hi"
    )
    client.force_login(admin_of(a.organisation))
    assert client.post(reverse("matchmaking:accept", args=[interest.pk])).status_code == 403
    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.PENDING


def test_spam_limit_answers_with_a_message(client, two, settings):
    settings.MATCHMAKING_DAILY_INTEREST_LIMIT = 0
    a, b = two
    client.force_login(admin_of(a.organisation))
    response = client.post(
        reverse("matchmaking:send-interest", args=[b.pk]), {"message": "Hi"}, follow=True
    )
    assert "the most allowed" in " ".join(str(m) for m in response.context["messages"])
    assert ExpressionOfInterest.objects.count() == 0


def test_block_needs_confirmation_then_blocks(client, two):
    a, b = two
    client.force_login(admin_of(b.organisation))
    url = reverse("matchmaking:block", args=[a.pk])
    assert "Block Arctic Adopter Oy?" in client.get(url).content.decode()
    assert OrganisationBlock.objects.count() == 0
    client.post(url)
    assert list(OrganisationBlock.objects.values_list("blocker", "blocked")) == [
        (b.organisation_id, a.organisation_id)
    ]


def test_edit_profile_form_saves_and_publishes(client):
    org = make_org("Fresh Oy")
    admin = admin_of(org)
    client.force_login(admin)
    url = reverse("matchmaking:my-profile")
    assert client.get(url).status_code == 200
    data = {
        "summary": "Drones for open pits.",
        "role_sought": "provider",
        "stages": ["extraction"],
        "raw_materials": ["copper", "lithium"],
        "keywords": "drones, lidar",
        "trl": "6",
        "offers-TOTAL_FORMS": "2",
        "offers-INITIAL_FORMS": "0",
        "offers-0-title": "Drone survey",
        "offers-0-description": "Weekly LiDAR",
        "offers-1-title": "",
        "offers-1-description": "",
        "requests-TOTAL_FORMS": "0",
        "requests-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    profile = PartnerProfile.objects.get(organisation=org)
    assert (profile.status, profile.raw_materials, profile.keywords, profile.trl) == (
        "draft",
        ["copper", "lithium"],
        ["drones", "lidar"],
        6,
    )
    assert profile.offers == [{"title": "Drone survey", "description": "Weekly LiDAR"}]
    client.post(reverse("matchmaking:publish"))
    profile.refresh_from_db()
    assert profile.status == "published"


def test_edit_profile_is_for_admins_only(client):
    org = make_org("Members Oy")
    admin_of(org)
    client.force_login(member_of(org))
    assert client.get(reverse("matchmaking:my-profile")).status_code == 403


def test_invalid_profile_form_shows_errors_and_writes_nothing(client):
    org = make_org("Sloppy Oy")
    client.force_login(admin_of(org))
    response = client.post(
        reverse("matchmaking:my-profile"),
        {
            "summary": "",
            "role_sought": "investor",
            "offers-TOTAL_FORMS": "0",
            "offers-INITIAL_FORMS": "0",
            "requests-TOTAL_FORMS": "0",
            "requests-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == ["role_sought", "summary"]
    assert PartnerProfile.objects.count() == 0


def test_recommendations_page_shows_reasons(client, two):
    a, _b = two
    client.force_login(admin_of(a.organisation))
    response = client.get(reverse("matchmaking:for-you"))
    assert [item.summary for item in response.context["items"]] == [
        "provider of sensor networks, Sweden"
    ]
    assert "provider of sensor networks, Sweden" in response.content.decode()


@pytest.mark.parametrize("url_name", ["matchmaking:directory", "matchmaking:interests"])
def test_list_query_count_does_not_grow(client, django_assert_num_queries, url_name):
    me = make_profile(make_org("Me Oy"), role_sought="adopter")
    client.force_login(admin_of(me.organisation))

    def add(i):
        other = make_profile(make_org(f"Other {i} AB", "SE"), role_sought="provider")
        interest = services.send_interest(
            sender=other.organisation,
            receiver=me.organisation,
            actor=admin_of(other.organisation),
            message="Hi",
        )
        services.accept_interest(interest=interest, actor=admin_of(me.organisation))

    add(0)
    url = reverse(url_name)
    client.get(url)  # warm caches (session, content types)
    cache.clear()  # measure with the facet counts computed, not cached
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    add(1)
    add(2)
    cache.clear()
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) >= 3


def test_facet_counts_are_cached_until_the_directory_changes(client, two):
    client.force_login(admin_of(two[0].organisation))
    client.get(DIRECTORY)
    with CaptureQueriesContext(connection) as cached:
        response = client.get(DIRECTORY)
    assert sidebar(response, "country") == [("FI", "Finland", 1, False), ("SE", "Sweden", 1, False)]
    make_profile(make_org("Castilla Oy", "ES"))
    with CaptureQueriesContext(connection) as fresh:
        response = client.get(DIRECTORY)
    assert sidebar(response, "country") == [
        ("ES", "Spain", 1, False),
        ("FI", "Finland", 1, False),
        ("SE", "Sweden", 1, False),
    ]
    # Unfiltered counts are one read of the facet tally (call titles: none to look up); the
    # sidebar was rendered again, and is cached as rendered from then on.
    assert len(fresh.captured_queries) == len(cached.captured_queries) + 1
    with CaptureQueriesContext(connection) as cached_again:
        again = client.get(DIRECTORY)
    assert sidebar(again, "country") == sidebar(response, "country")
    assert len(cached_again.captured_queries) == len(cached.captured_queries)


def test_a_superscript_digit_in_a_call_filter_is_a_message_not_a_500(client):
    client.force_login(UserFactory())
    response = client.get(DIRECTORY, {"call": "²"})
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
