"""The session page guides: members see who is present, what they may do now and why; staff
open the vote only when the quorum is present, and close it with missing votes only after
confirming, by name, each member who has not voted (checked by the service, not only the page).
"""

import pytest
from django.urls import reverse

from evaluation.models import DecisionState
from evaluation.services import decision as services
from tests.auth import sign_in
from tests.evaluation.decision_factories import ready_call

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _voting(staff, present: int):
    ready = ready_call()
    session = services.open_decision_session(call=ready.call, actor=staff)
    services.record_attendance(session=session, actor=staff, present=ready.committee[:present])
    services.open_voting(session=session, actor=staff)
    return ready, session


def test_a_member_before_the_vote_is_told_that_staff_record_attendance_and_open_it(client, staff):
    ready = ready_call()
    session = services.open_decision_session(call=ready.call, actor=staff)
    sign_in(client, ready.committee[0])
    page = client.get(reverse("evaluation:committee-session", args=[session.pk])).content.decode()
    assert (
        "The vote is not open yet: staff record who is present, then open the vote. "
        "Staff have not recorded you as present yet." in page
    )
    assert 'name="choice"' not in page
    # Staff see why the vote cannot open yet, instead of a button the service would refuse.
    sign_in(client, staff)
    page = client.get(reverse("evaluation:committee-session", args=[session.pk])).content.decode()
    assert 'name="action" value="open"' not in page
    assert "0 members present; the quorum is 2: record who is present first." in page


def test_a_member_not_recorded_as_present_sees_why_they_cannot_vote(client, staff):
    ready, session = _voting(staff, present=2)
    absent = ready.committee[2]
    sign_in(client, absent)
    page = client.get(reverse("evaluation:committee-session", args=[session.pk])).content.decode()
    assert 'name="choice"' not in page
    assert (
        "You are not recorded as present: only members recorded as present vote, and "
        "attendance was fixed when the vote opened." in page
    )
    present_list = page.split('id="present-members"')[1].split("</ul>")[0]
    assert "Member 0" in present_list and "Member 1" in present_list
    assert "Member 2" not in present_list
    sign_in(client, ready.committee[0])
    page = client.get(reverse("evaluation:committee-session", args=[session.pk])).content.decode()
    assert 'name="choice"' in page
    assert "You are recorded as present: cast your vote below." in page


def test_closing_with_a_missing_vote_needs_the_member_confirmed_by_name(client, staff):
    ready, session = _voting(staff, present=2)
    services.cast_vote(session=session, member=ready.committee[0], choice="for")
    missing = ready.committee[1]
    sign_in(client, staff)
    url = reverse("evaluation:committee-session", args=[session.pk])
    page = client.get(url).content.decode()
    assert (
        "1 of 2 present members voted and the quorum is 2: closing now records "
        "“Not adopted (quorum not met)”, which cannot be undone." in page
    )
    assert (
        f'<input type="checkbox" id="missing-{missing.pk}" name="confirm_missing" '
        f'value="{missing.pk}" required> <label for="missing-{missing.pk}">Close without the '
        "vote of Member 1</label>" in page
    )
    voting = reverse("evaluation:committee-voting", args=[session.pk])
    response = client.post(voting, {"action": "close"}, follow=True)
    assert _messages(response) == [
        "Not voted yet: Member 1. Confirm that the vote closes without their votes, or wait "
        "for them."
    ]
    session.refresh_from_db()
    assert session.state == DecisionState.VOTING
    response = client.post(
        voting, {"action": "close", "confirm_missing": [missing.pk]}, follow=True
    )
    assert _messages(response) == ["The decision was not adopted."]
    session.refresh_from_db()
    assert session.state == DecisionState.NOT_ADOPTED


def test_when_every_present_member_voted_no_confirmation_is_asked(client, staff):
    ready, session = _voting(staff, present=2)
    for member in ready.committee[:2]:
        services.cast_vote(session=session, member=member, choice="for")
    sign_in(client, staff)
    page = client.get(reverse("evaluation:committee-session", args=[session.pk])).content.decode()
    assert 'name="confirm_missing"' not in page
    assert "quorum not met" not in page.split('id="close-vote"')[1].split("</form>")[0]
    response = client.post(
        reverse("evaluation:committee-voting", args=[session.pk]), {"action": "close"}, follow=True
    )
    assert _messages(response) == ["The decision is adopted."]


def test_a_closed_session_says_once_that_the_vote_is_closed(client, staff):
    ready, session = _voting(staff, present=2)
    for member in ready.committee[:2]:
        services.cast_vote(session=session, member=member, choice="for")
    services.close_session(session=session, actor=staff)
    sign_in(client, ready.committee[0])
    page = client.get(reverse("evaluation:committee-session", args=[session.pk])).content.decode()
    assert page.count("The vote is closed.") == 1
    assert 'id="member-now"' not in page
