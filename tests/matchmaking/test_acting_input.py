"""Which organisation a person acts for (`org` on the pages, `organisation` in the API) and the
application a contact is invited into are read by a form or a serializer: a value that is not
a number, or an organisation the person does not belong to, is refused saying so."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from calls import services as calls_services
from calls.models import ConsortiumMember
from matchmaking import services
from tests.calls.factories import CallFactory
from tests.factories import MembershipFactory
from tests.matchmaking.factories import admin_of, make_org, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hats():
    """Someone administering two organisations (Alpha first), and a stranger's organisation."""
    alpha = make_profile(make_org("Alpha Sorting Oy", "FI")).organisation
    person = admin_of(alpha)
    beta = make_profile(make_org("Beta Drilling AB", "SE"), role_sought="adopter").organisation
    MembershipFactory(user=person, organisation=beta)
    stranger = make_profile(make_org("Gamma Tailings SA", "ES")).organisation
    return person, alpha, beta, stranger


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_pages_act_for_the_organisation_asked_for_or_the_first(client, two_hats):
    person, alpha, beta, _stranger = two_hats
    client.force_login(person)
    url = reverse("matchmaking:for-you")

    first = client.get(url)
    chosen = client.get(url, {"org": beta.pk})

    assert (first.status_code, first.context["organisation"]) == (200, alpha)
    assert (chosen.status_code, chosen.context["organisation"]) == (200, beta)


@pytest.mark.parametrize("asked", ["abc", "1.5", "stranger"])
def test_an_organisation_one_does_not_belong_to_is_403_saying_so(client, two_hats, asked):
    person, _alpha, _beta, stranger = two_hats
    asked = str(stranger.pk) if asked == "stranger" else asked
    client.force_login(person)

    page = client.get(reverse("matchmaking:for-you"), {"org": asked})
    posted = client.post(reverse("matchmaking:unpublish"), {"org": asked})

    expected = f"You do not belong to the organisation “{asked}”."
    assert (page.status_code, page.context["exception"]) == (403, expected)
    assert (posted.status_code, posted.context["exception"]) == (403, expected)
    assert expected in page.content.decode().replace("&#x201C;", "“").replace("&#x201D;", "”")
    stranger.partner_profile.refresh_from_db()
    assert stranger.partner_profile.is_published is True


@pytest.fixture
def contact():
    lead = make_profile(make_org("Lead Mining Oy", "FI"), role_sought="adopter").organisation
    partner = make_profile(make_org("Partner Tech AB", "SE")).organisation
    interest = services.send_interest(
        sender=partner, receiver=lead, actor=admin_of(partner), message="Together?"
    )
    interest = services.accept_interest(interest=interest, actor=admin_of(lead))
    application = calls_services.create_application(
        call=CallFactory(), organisation=lead, actor=admin_of(lead)
    )
    return interest, application, lead, partner


@pytest.mark.parametrize("application", ["abc", "", "theirs", None])
def test_inviting_into_an_application_one_does_not_lead_is_refused(client, contact, application):
    interest, ours, lead, partner = contact
    if application == "theirs":
        application = calls_services.create_application(
            call=CallFactory(), organisation=partner, actor=admin_of(partner)
        ).pk
    client.force_login(admin_of(lead))

    response = client.post(
        reverse("matchmaking:invite", args=[interest.pk]),
        {} if application is None else {"application": application},
        follow=True,
    )

    assert _messages(response) == ["Choose one of your draft applications."]
    assert ConsortiumMember.objects.filter(organisation=partner, is_lead=False).count() == 0
    assert list(ours.members.values_list("organisation", flat=True)) == [lead.pk]


@pytest.fixture
def api(two_hats):
    person, *_ = two_hats
    client = APIClient()
    client.force_authenticate(person)
    return client


def test_the_api_acts_for_the_organisation_asked_for(api, two_hats):
    _person, alpha, beta, _stranger = two_hats

    first = api.get("/api/v1/partners/me/")
    chosen = api.get("/api/v1/partners/me/", {"organisation": beta.pk})

    assert (first.status_code, first.json()["organisation"]["legal_name"]) == (
        200,
        "Alpha Sorting Oy",
    )
    assert (chosen.status_code, chosen.json()["organisation"]["legal_name"]) == (
        200,
        "Beta Drilling AB",
    )
    assert alpha.pk != beta.pk


@pytest.mark.parametrize("path", ["/api/v1/partners/me/", "partner", "/api/v1/partners/blocks/"])
def test_a_non_numeric_organisation_is_400_and_a_strangers_403(api, two_hats, path):
    _person, _alpha, _beta, stranger = two_hats
    if path == "partner":
        path = f"/api/v1/partners/{stranger.partner_profile.pk}/"

    bad = api.get(path, {"organisation": "abc"})
    foreign = api.get(path, {"organisation": stranger.pk})

    assert (bad.status_code, bad.json()) == (
        400,
        {"organisation": ["A valid integer is required."]},
    )
    assert (foreign.status_code, foreign.json()) == (
        403,
        {"detail": f"You do not belong to the organisation {stranger.pk}."},
    )


def test_the_organisation_in_a_body_is_read_the_same_way(api, two_hats):
    _person, _alpha, _beta, stranger = two_hats

    response = api.post(
        "/api/v1/interests/",
        {"receiver": stranger.pk, "message": "Hello", "organisation": "abc"},
        format="json",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"organisation": ["A valid integer is required."]},
    )
    assert stranger.interests_received.count() == 0
