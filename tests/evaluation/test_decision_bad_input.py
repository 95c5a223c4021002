"""Bad input on the committee's forms is a message, never a 500: digits Python's isdigit()
accepts but int() refuses, impossible dates, NUL characters (PostgreSQL refuses them)."""

import pytest
from django.urls import reverse

from evaluation.models import DecisionSession
from evaluation.services import decision as services
from evaluation.services import reserve
from tests.auth import sign_in
from tests.evaluation.decision_factories import adopt, ready_call

pytestmark = pytest.mark.django_db

REASON = "The committee judged the pilot site more relevant to the aims of the call."


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_open_with_an_impossible_date_or_odd_digits_is_a_message(client, staff):
    ready = ready_call()
    sign_in(client, staff)
    url = reverse("evaluation:committee-open", args=[ready.call.slug])
    response = client.post(url, {"meeting_date": "2026-02-31"}, follow=True)
    assert response.status_code == 200
    assert _messages(response) == ["Enter the meeting date as YYYY-MM-DD."]
    response = client.post(url, {"quorum": "²"}, follow=True)
    assert response.status_code == 200
    assert _messages(response) == ["The quorum must be a whole number."]
    assert not ready.call.decision_sessions.exists()


def test_odd_digits_on_the_session_forms_are_messages(client, staff):
    ready = ready_call()
    session = services.open_decision_session(call=ready.call, actor=staff)
    sign_in(client, staff)
    response = client.post(
        reverse("evaluation:committee-attendance", args=[session.pk]),
        {"present": ["²"]},
        follow=True,
    )
    assert _messages(response) == ["Only committee members can be marked present."]
    entry = session.entries.get(application=ready.apps[1])
    response = client.post(
        reverse("evaluation:committee-propose", args=[session.pk, entry.pk]),
        {"outcome": "reserve", "reserve_position": "²", "reason": REASON},
        follow=True,
    )
    assert response.status_code == 200


def test_vacate_with_odd_digits_is_a_404_not_a_500(client, staff):
    ready = ready_call()
    adopt(ready, staff)
    sign_in(client, staff)
    response = client.post(
        reverse("evaluation:committee-vacate", args=[ready.call.slug]),
        {"application": "²", "reason": "Declined by the consortium."},
    )
    assert response.status_code == 404


def test_nul_characters_in_reasons_are_dropped(client, staff):
    ready = ready_call()
    session = services.open_decision_session(call=ready.call, actor=staff)
    sign_in(client, ready.committee[0])
    entry = session.entries.get(application=ready.apps[1])
    response = client.post(
        reverse("evaluation:committee-propose", args=[session.pk, entry.pk]),
        {"outcome": "reserve", "reserve_position": "1", "reason": REASON + "\x00"},
        follow=True,
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.deviation_reason == REASON


def test_nul_characters_in_return_and_vacate_reasons_are_dropped(staff):
    ready = ready_call()
    session = services.open_decision_session(call=ready.call, actor=staff)
    services.record_attendance(session=session, actor=staff, present=ready.committee)
    services.open_voting(session=session, actor=staff)
    services.return_to_proposal(session=session, actor=staff, reason="Wrong list\x00 voted.")
    session.refresh_from_db()
    assert session.state == "open"
    DecisionSession.objects.all().delete()
    adopt(ready, staff)
    move = reserve.vacate_selection(
        application=ready.apps[0], actor=staff, reason="Declined\x00 by the consortium."
    )
    assert move.reason == "Declined by the consortium."
