"""Brokerage pages: who sees the directory, search and suggestions, the request form, answers
with confirmation, offer/seek and availability forms, staff's grid form; bad input is a 4xx."""

import pytest
from django.urls import reverse

from accounts import roles
from events.models import BrokerageSession, Meeting, MeetingRequest
from matchmaking import search
from matchmaking.models import PartnerProfile
from tests.auth import sign_in
from tests.events.brokerage_factories import BrokerageEventFactory, at, grid, participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [row["registration"].organisation.legal_name for row in response.context["rows"]]


def _org(registration, name: str):
    registration.organisation.legal_name = name
    registration.organisation.save()
    return registration


def test_the_directory_is_for_confirmed_participants_and_staff(client):
    event = BrokerageEventFactory()
    me = _org(participant(event), "Arctic Ore Oy")
    _org(participant(event), "Baltic Tailings AB")
    _org(participant(event), "Carpathian Lithium SRL")
    waiting = participant(event, status="waiting")
    url = reverse("events:brokerage-directory", args=[event.pk])

    assert client.get(url).status_code == 302  # to sign in
    sign_in(client, waiting.user)
    assert client.get(url).status_code == 403
    sign_in(client, UserFactory())
    assert client.get(url).status_code == 403
    sign_in(client, UserFactory(roles=[roles.STAFF]))
    assert _names(client.get(url)) == [
        "Arctic Ore Oy",
        "Baltic Tailings AB",
        "Carpathian Lithium SRL",
    ]
    sign_in(client, me.user)
    response = client.get(url)
    assert _names(response) == ["Baltic Tailings AB", "Carpathian Lithium SRL"]
    assert "Request a meeting" in response.content.decode()


def test_the_directory_searches_published_offers_and_partner_profiles(client):
    event = BrokerageEventFactory()
    me = participant(event)
    by_offer = _org(participant(event), "Baltic Tailings AB")
    by_profile = _org(participant(event), "Carpathian Sensors SRL")
    _org(participant(event), "Danube Logistics")
    sign_in(client, by_offer.user)
    client.post(
        reverse("events:brokerage-profile", args=[event.pk]),
        {"offer": "Lithium recovery from tailings", "seek": ""},
    )
    PartnerProfile.objects.create(
        organisation=by_profile.organisation,
        status="published",
        published_at=at(-1, 9),
        summary="Hyperspectral sensors",
        offers_requests_text="lithium brine sensing",
        role_sought="provider",
    )
    search.refresh_search_vectors(PartnerProfile.objects.all())  # as save_profile does
    sign_in(client, me.user)

    response = client.get(reverse("events:brokerage-directory", args=[event.pk]), {"q": "lithium"})

    assert _names(response) == ["Baltic Tailings AB", "Carpathian Sensors SRL"]


def test_suggestions_use_the_partner_directory_scoring(client):
    event = BrokerageEventFactory()
    me, provider = participant(event), _org(participant(event), "Baltic Tailings AB")
    participant(event)  # no partner profile: never suggested
    for registration, role in [(me, "adopter"), (provider, "provider")]:
        PartnerProfile.objects.create(
            organisation=registration.organisation,
            status="published",
            published_at=at(-1, 9),
            summary="Mining",
            role_sought=role,
        )
    sign_in(client, me.user)

    response = client.get(reverse("events:brokerage-directory", args=[event.pk]))

    suggested = [
        (row["item"].registration.pk, row["item"].score, row["item"].reasons)
        for row in response.context["suggestions"]
    ]
    assert suggested == [(provider.pk, 30, ["provider"])]


def test_the_directory_reads_a_fixed_number_of_queries(client, django_assert_num_queries):
    event = BrokerageEventFactory()
    me = participant(event)
    participant(event)
    sign_in(client, me.user)
    url = reverse("events:brokerage-directory", args=[event.pk])
    client.get(url)
    # 11 until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
    with django_assert_num_queries(8) as one:
        client.get(url)
    participant(event)
    participant(event)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_a_request_is_sent_from_its_form_and_bad_input_is_a_400(client):
    event = BrokerageEventFactory()
    grid(event)
    me, other = participant(event), participant(event)
    colleague = participant(event)
    colleague.organisation = me.organisation
    colleague.save()
    sign_in(client, me.user)
    url = reverse("events:brokerage-request", args=[event.pk, other.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"message": "x" * 1001}).status_code == 400
    for hidden in (me, colleague, participant(BrokerageEventFactory())):
        assert (
            client.get(reverse("events:brokerage-request", args=[event.pk, hidden.pk])).status_code
            == 404
        )
    response = client.post(url, {"message": "Shall we talk about tailings?"})

    assert response.status_code == 302
    assert list(MeetingRequest.objects.values_list("requester", "addressee", "message")) == [
        (me.pk, other.pk, "Shall we talk about tailings?")
    ]
    again = client.post(url, {"message": ""})
    assert again.status_code == 400
    assert "You have already requested a meeting with this participant." in again.content.decode()


def test_answers_ask_for_confirmation_and_only_the_addressee_can_accept(client):
    event = BrokerageEventFactory()
    grid(event)
    asker, asked = participant(event), participant(event)
    sign_in(client, asker.user)
    client.post(reverse("events:brokerage-request", args=[event.pk, asked.pk]), {"message": "Hi"})
    request = MeetingRequest.objects.get()
    accept = reverse("events:brokerage-answer", args=[event.pk, request.pk, "accept"])

    assert client.get(accept).status_code == 404  # the asker cannot accept their own request
    assert (
        client.get(
            reverse("events:brokerage-answer", args=[event.pk, request.pk, "approve"])
        ).status_code
        == 404
    )
    sign_in(client, asked.user)
    page = client.get(accept)
    assert page.status_code == 200
    assert MeetingRequest.objects.get().state == "requested"  # GET only asks
    assert client.post(accept).status_code == 302

    assert list(Meeting.objects.values_list("request", "slot", "table")) == [(request.pk, 0, 1)]
    listing = client.get(reverse("events:brokerage-requests", args=[event.pk])).content.decode()
    assert "Table 1" in listing


def test_offer_seek_and_availability_forms(client):
    event = BrokerageEventFactory()
    grid(event)  # three slots: 09:00, 09:20, 09:40
    me = participant(event)
    sign_in(client, me.user)
    profile = reverse("events:brokerage-profile", args=[event.pk])
    availability = reverse("events:brokerage-availability", args=[event.pk])

    assert client.post(profile, {"offer": "", "seek": " "}).status_code == 400
    assert client.post(profile, {"offer": "Sorting", "seek": "Buyers"}).status_code == 302
    assert client.post(availability, {"slots": ["7"]}).status_code == 400
    assert client.post(availability, {}).status_code == 400
    assert client.post(availability, {"slots": ["0", "2"]}).status_code == 302
    me.brokerage_profile.refresh_from_db()
    assert (me.brokerage_profile.offer, me.brokerage_profile.available_slots) == ("Sorting", [0, 2])
    assert client.post(availability, {"slots": ["0", "1", "2"]}).status_code == 302
    me.brokerage_profile.refresh_from_db()
    assert me.brokerage_profile.available_slots is None


def test_staff_set_the_grid_with_sessions_in_the_event_time_zone(client):
    event = BrokerageEventFactory()
    staff = UserFactory(roles=[roles.STAFF])
    sign_in(client, staff)
    url = reverse("events:brokerage-settings", args=[event.pk])
    day = at(10, 9).date().isoformat()

    bad = client.post(url, {"meeting_minutes": 20, "tables": 4, "sessions": "tomorrow morning"})
    assert bad.status_code == 400
    assert "Line 1 is not a session like" in bad.content.decode()
    outside = client.post(
        url, {"meeting_minutes": 20, "tables": 4, "sessions": f"{day} 08:00-09:30"}
    )
    assert outside.status_code == 400
    response = client.post(
        url, {"meeting_minutes": 20, "tables": 4, "sessions": f"{day} 9:20-10:00"}
    )

    assert response.status_code == 302
    assert list(BrokerageSession.objects.values_list("starts_at", "ends_at")) == [
        (at(10, 9, 20), at(10, 10))
    ]
    assert [s.index for s in client.get(url).context["slots"]] == [0, 1]


def test_schedule_all_runs_the_task_after_the_request(client, django_capture_on_commit_callbacks):
    event = BrokerageEventFactory()
    a, b = participant(event), participant(event)
    sign_in(client, a.user)
    client.post(reverse("events:brokerage-request", args=[event.pk, b.pk]))
    sign_in(client, b.user)
    request = MeetingRequest.objects.get()
    client.post(reverse("events:brokerage-answer", args=[event.pk, request.pk, "accept"]))
    assert Meeting.objects.count() == 0  # no grid yet
    grid(event)
    sign_in(client, UserFactory(roles=[roles.STAFF]))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:brokerage-schedule", args=[event.pk]))

    assert response.status_code == 302
    assert list(Meeting.objects.values_list("request", "slot")) == [(request.pk, 0)]
