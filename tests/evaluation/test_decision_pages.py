"""The committee's pages: access (staff and committee with MFA only), the whole flow through
the forms, refusals shown as messages, the minutes download, vacating, and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from calls.models import ApplicationState
from evaluation.models import DecisionSession, DecisionState
from evaluation.services import decision as services
from tests.auth import sign_in
from tests.evaluation.decision_factories import adopt, ready_call
from tests.evaluation.factories import evaluator
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

REASON = "The committee judged the pilot site more relevant to the aims of the call."


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_access_needs_committee_or_staff_with_mfa(client, staff):
    ready = ready_call()
    session = services.open_decision_session(call=ready.call, actor=staff)
    urls = [
        reverse("evaluation:committee"),
        reverse("evaluation:committee-session", args=[session.pk]),
    ]
    applicant = UserFactory()
    MembershipFactory(user=applicant)
    for outsider in (applicant, evaluator()):
        sign_in(client, outsider)
        for url in urls:
            assert client.get(url).status_code == 403
        assert (
            client.post(reverse("evaluation:committee-open", args=[ready.call.slug])).status_code
            == 403
        )
    client.force_login(UserFactory(roles=[roles.COMMITTEE]))  # no MFA yet
    response = client.get(urls[1])
    assert response.status_code == 302 and "2fa" in response.url
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to the sign-in page
    sign_in(client, ready.committee[0])
    for url in urls:
        assert client.get(url).status_code == 200
    # Staff-only actions refuse a committee member.
    assert (
        client.post(
            reverse("evaluation:committee-voting", args=[session.pk]), {"action": "open"}
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("evaluation:committee-vacate", args=[ready.call.slug])).status_code
        == 403
    )


def test_the_whole_flow_through_the_pages(client, staff):
    ready = ready_call()
    sign_in(client, staff)
    page = client.get(reverse("evaluation:ranking", args=[ready.call.slug])).content.decode()
    assert reverse("evaluation:committee-open", args=[ready.call.slug]) in page
    response = client.post(reverse("evaluation:committee-open", args=[ready.call.slug]))
    session = DecisionSession.objects.get()
    assert response.url == reverse("evaluation:committee-session", args=[session.pk])
    url = response.url
    client.post(
        reverse("evaluation:committee-attendance", args=[session.pk]),
        {"present": [m.pk for m in ready.committee]},
    )
    assert session.attendance.count() == 3
    # A member proposes a deviation: first without a reason (refused, shown), then with one.
    sign_in(client, ready.committee[0])
    second = session.entries.get(application=ready.apps[1])
    propose = reverse("evaluation:committee-propose", args=[session.pk, second.pk])
    response = client.post(propose, {"outcome": "reserve", "reason": ""}, follow=True)
    assert any("write the reason" in m for m in _messages(response))
    client.post(propose, {"outcome": "reserve", "reserve_position": "1", "reason": REASON})
    second.refresh_from_db()
    assert (second.outcome, second.reserve_position, second.deviation_reason) == (
        "reserve",
        1,
        REASON,
    )
    page = client.get(url).content.decode()
    assert REASON in page and "deviates" in page
    sign_in(client, staff)
    client.post(reverse("evaluation:committee-voting", args=[session.pk]), {"action": "open"})
    session.refresh_from_db()
    assert session.state == DecisionState.VOTING
    for member, choice in zip(ready.committee, ("for", "for", "against"), strict=True):
        sign_in(client, member)
        assert 'name="choice"' in client.get(url).content.decode()
        client.post(reverse("evaluation:committee-vote", args=[session.pk]), {"choice": choice})
    sign_in(client, staff)
    response = client.post(
        reverse("evaluation:committee-voting", args=[session.pk]), {"action": "close"}, follow=True
    )
    assert "The decision is adopted." in _messages(response)
    session.refresh_from_db()
    assert session.state == DecisionState.ADOPTED
    page = response.content.decode()
    assert session.content_hash in page and "verified" in page
    ready.apps[1].refresh_from_db()
    assert ready.apps[1].state == ApplicationState.RESERVE  # as the committee proposed


def test_bad_input_is_a_message_not_a_500(client, staff):
    ready = ready_call()
    session = services.open_decision_session(call=ready.call, actor=staff)
    sign_in(client, staff)
    entry = session.entries.first()
    propose = reverse("evaluation:committee-propose", args=[session.pk, entry.pk])
    response = client.post(propose, {"outcome": "bogus", "reserve_position": "x"}, follow=True)
    assert response.status_code == 200
    # Both fields are wrong; the position was silently dropped before the form read it.
    assert _messages(response) == [
        "Choose fund, reserve or do not fund.",
        "The reserve position must be a whole number from 1.",
    ]
    response = client.post(
        reverse("evaluation:committee-voting", args=[session.pk]), {"action": "close"}, follow=True
    )
    assert _messages(response) == ["Only a voting session can be closed."]
    response = client.post(
        reverse("evaluation:committee-voting", args=[session.pk]), {"action": "nope"}, follow=True
    )
    assert _messages(response) == ["Unknown action."]
    response = client.post(
        reverse("evaluation:committee-attendance", args=[session.pk]),
        {"present": [staff.pk]},
        follow=True,
    )
    assert _messages(response) == ["Only committee members can be marked present."]
    response = client.post(
        reverse("evaluation:committee-open", args=[ready.call.slug]), follow=True
    )
    assert _messages(response) == ["A decision session is already open for this call."]


def test_minutes_only_for_committee_and_staff(client, staff, settings):
    ready = ready_call()
    session = adopt(ready, staff)
    url = reverse("evaluation:committee-minutes", args=[session.pk])
    sign_in(client, evaluator())
    assert client.get(url).status_code == 403
    sign_in(client, ready.committee[1])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_staff_vacate_a_selection_through_the_page(client, staff):
    ready = ready_call()
    adopt(ready, staff)
    url = reverse("evaluation:committee-vacate", args=[ready.call.slug])
    sign_in(client, staff)
    assert ready.apps[0].reference in client.get(url).content.decode()
    response = client.post(url, {"application": ready.apps[0].pk, "reason": "x"}, follow=True)
    assert any("Say why" in m for m in _messages(response))
    response = client.post(
        url, {"application": ready.apps[0].pk, "reason": "Declined by the consortium."}, follow=True
    )
    assert _messages(response) == [
        f"{ready.apps[0].reference} left the funded list; "
        f"{ready.apps[2].reference} moved up from the reserve."
    ]
    assert (
        client.post(url, {"application": ready.apps[3].pk, "reason": "y" * 20}).status_code == 404
    )


def _session_page_queries(client, staff, count):
    ready = ready_call(count=count)
    session = services.open_decision_session(call=ready.call, actor=staff)
    services.record_attendance(session=session, actor=staff, present=ready.committee)
    sign_in(client, staff)
    url = reverse("evaluation:committee-session", args=[session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_session_page_queries_do_not_grow_with_applications(client, staff):
    small = _session_page_queries(client, staff, 2)
    DecisionSession.objects.all().delete()
    large = _session_page_queries(client, staff, 5)
    assert small == large


def test_the_call_tabs_show_for_staff_only(client, staff):
    """The template asks calls.manage_calls ({% has_perm %}), as the staff's call pages do."""
    ready = ready_call()
    session = services.open_decision_session(call=ready.call, actor=staff)
    url = reverse("evaluation:committee-session", args=[session.pk])
    tabs = 'aria-label="Stages of this call"'
    sign_in(client, staff)
    assert tabs in client.get(url).content.decode()
    sign_in(client, ready.committee[0])
    assert tabs not in client.get(url).content.decode()


def test_funded_so_far_reads_as_money(client, staff):
    """Issue #13: the running total read "98000.00"; people read grouped euros."""
    ready = ready_call(count=2)
    session = services.open_decision_session(call=ready.call, actor=staff)
    sign_in(client, staff)
    page = client.get(reverse("evaluation:committee-session", args=[session.pk])).content.decode()
    # Two applications of 40,000 each against a budget of 80,000.
    assert '<td>€40,000.00 <span class="badge ok">fits</span>' in page
    assert '<td>€80,000.00 <span class="badge ok">fits</span>' in page
    assert "80000.00" not in page
