"""The participant's own requests and meetings through the API (read-only)."""

from datetime import datetime

import pytest
from django.urls import reverse

from events import brokerage
from tests.auth import sign_in
from tests.events.brokerage_factories import BrokerageEventFactory, at, grid, participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _org(registration, name):
    registration.organisation.legal_name = name
    registration.organisation.save()
    return registration


def test_each_participant_reads_their_own_requests_and_meetings(client):
    event = BrokerageEventFactory()
    grid(event, tables=3)
    a = _org(participant(event), "Arctic Ore Oy")
    b = _org(participant(event), "Baltic Tailings AB")
    c = _org(participant(event), "Carpathian Lithium SRL")
    ab = brokerage.request_meeting(requester=a, addressee=b, actor=a.user, message="Tailings?")
    brokerage.accept_meeting(meeting_request=ab, actor=b.user)
    cb = brokerage.request_meeting(requester=c, addressee=b, actor=c.user)
    sign_in(client, b.user)

    requests = client.get(reverse("api-brokerage-requests", args=[event.pk])).json()
    meetings = client.get(reverse("api-brokerage-meetings", args=[event.pk])).json()

    assert [
        (r["id"], r["sent"], r["other_organisation"], r["state"]) for r in requests["results"]
    ] == [
        (cb.pk, False, "Carpathian Lithium SRL", "requested"),
        (ab.pk, False, "Arctic Ore Oy", "accepted"),
    ]
    placed = requests["results"][1]["meeting"]
    assert requests["results"][0]["meeting"] is None
    assert (
        placed["slot"],
        placed["table"],
        datetime.fromisoformat(placed["starts_at"]),
        datetime.fromisoformat(placed["ends_at"]),
    ) == (0, 1, at(10, 9), at(10, 9, 20))
    assert [(m["request"], m["other_organisation"]) for m in meetings["results"]] == [
        (ab.pk, "Arctic Ore Oy")
    ]
    sign_in(client, c.user)
    mine = client.get(reverse("api-brokerage-requests", args=[event.pk])).json()
    assert [(r["id"], r["sent"], r["other_organisation"]) for r in mine["results"]] == [
        (cb.pk, True, "Baltic Tailings AB")
    ]
    sign_in(client, a.user)
    theirs = client.get(reverse("api-brokerage-meetings", args=[event.pk])).json()
    assert [(m["request"], m["other_organisation"]) for m in theirs["results"]] == [
        (ab.pk, "Baltic Tailings AB")
    ]


def test_only_participants_read_and_other_events_are_not_found(client):
    event = BrokerageEventFactory()
    sign_in(client, UserFactory())
    assert client.get(reverse("api-brokerage-requests", args=[event.pk])).status_code == 403
    assert client.get(reverse("api-brokerage-meetings", args=[event.pk + 1000])).status_code == 404
