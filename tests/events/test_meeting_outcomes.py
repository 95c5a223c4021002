"""After a brokerage event: each side says which meetings led to a consortium; an application
started together from a meeting links back to it; the public figures count them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from calls.models import MemberStatus
from events import brokerage, meeting_outcomes
from events.models import Event, Meeting, MeetingApplication, MeetingOutcome
from minegap.ledger.models import AuditEntry
from tests.auth import sign_in
from tests.calls.factories import CallFactory
from tests.events.brokerage_factories import BrokerageEventFactory, grid, participant
from tests.factories import UserFactory
from tests.public.factories import project, results_call

pytestmark = pytest.mark.django_db


def _meet(a, b):
    request = brokerage.request_meeting(requester=a, addressee=b, actor=a.user)
    brokerage.accept_meeting(meeting_request=request, actor=b.user)
    return request


def _meet_request(a, b) -> int:
    return Meeting.objects.get(request__requester=a, request__addressee=b).request_id


def _held(event) -> None:
    """The event took place (moved into the past once its meetings were arranged)."""
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(days=2, hours=2),
        ends_at=now - timedelta(days=2),
        registration_deadline=now - timedelta(days=3),
    )


def test_after_the_event_a_side_records_that_the_meeting_led_to_a_consortium(client):
    event = BrokerageEventFactory()
    grid(event)
    a, b = participant(event), participant(event)
    request = _meet(a, b)
    _held(event)
    sign_in(client, a.user, mfa=False)

    response = client.post(
        reverse("events:meeting-outcome", args=[event.pk, request.pk]),
        {"led_to_consortium": "yes"},
    )

    assert response.status_code == 302
    assert list(MeetingOutcome.objects.values_list("participant_id", "led_to_consortium")) == [
        (a.pk, True)
    ]
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.data) == (
        "events.meeting.outcome",
        {"event": event.pk, "participant": a.pk, "led_to_consortium": True},
    )
    figures = client.get(reverse("api-public-event-figures")).json()
    assert figures == {
        "events_held": 1,
        "participants": 2,
        "meetings_held": 1,
        "consortia_formed": 1,
        "funded_consortia_met": 0,
    }


def test_an_outcome_before_the_event_or_by_someone_else_is_refused():
    event = BrokerageEventFactory()
    grid(event)
    a, b = participant(event), participant(event)
    request = _meet(a, b)

    with pytest.raises(ValidationError) as early:
        meeting_outcomes.record_outcome(
            meeting_request=request, actor=a.user, led_to_consortium=True
        )
    _held(event)
    with pytest.raises(PermissionDenied):
        meeting_outcomes.record_outcome(
            meeting_request=request, actor=UserFactory(), led_to_consortium=True
        )

    assert early.value.messages == ["Say what a meeting led to once the event has ended."]
    assert MeetingOutcome.objects.count() == 0


def test_an_application_started_from_a_meeting_invites_the_other_side_and_links_back(client):
    call = CallFactory()
    event = BrokerageEventFactory(call=call)
    grid(event)
    a, b = participant(event), participant(event)
    request = _meet(a, b)
    sign_in(client, a.user, mfa=False)

    response = client.post(
        reverse("events:meeting-application", args=[event.pk, request.pk]), {"call": call.pk}
    )

    link = MeetingApplication.objects.get()
    application = link.application
    assert response["Location"] == reverse("calls:apply-home", args=[application.pk])
    assert link.meeting_request_id == request.pk
    assert application.lead_organisation_id == a.organisation_id
    assert sorted(application.members.values_list("organisation_id", "status")) == sorted(
        [(a.organisation_id, MemberStatus.CONFIRMED), (b.organisation_id, MemberStatus.INVITED)]
    )
    assert AuditEntry.objects.latest("seq").action == "events.meeting.application_started"


def test_the_agenda_offers_the_calls_open_now_one_without_a_deadline_included(
    client, django_assert_num_queries
):
    now = timezone.now()
    later = CallFactory(closes_at=now + timedelta(days=40), configured=False)
    sooner = CallFactory(closes_at=now + timedelta(days=5), configured=False)
    endless = CallFactory(closes_at=None, configured=False)
    CallFactory(closes_at=now - timedelta(days=1), configured=False)  # closed
    CallFactory(opens_at=now + timedelta(days=1), configured=False)  # not open yet
    CallFactory(opens_at=None, closes_at=None, configured=False)  # never opened
    event = BrokerageEventFactory()
    grid(event)
    a, b, c = participant(event), participant(event), participant(event)
    _meet(a, b)
    sign_in(client, a.user, mfa=False)
    url = reverse("events:agenda", args=[event.pk])
    client.get(url)

    # 11 until issue #15 read the session from the cache and the person with roles and memberships in one query.
    with django_assert_num_queries(8) as one_meeting:
        client.get(url)
    _meet(c, a)
    with django_assert_num_queries(len(one_meeting.captured_queries)):
        page = client.get(url).content.decode()
    started = client.post(
        reverse("events:meeting-application", args=[event.pk, _meet_request(a, b)]),
        {"call": endless.pk},
    )

    offered = [f'<option value="{call.pk}">{call.title}</option>' for call in (sooner, later)]
    offered.append(f'<option value="{endless.pk}">{endless.title}</option>')
    select = "".join(offered)
    assert page.count('<select name="call" id="call-') == 2
    assert page.count(f"{select}</select>") == 2
    link = MeetingApplication.objects.get()
    assert (started["Location"], link.application.call_id) == (
        reverse("calls:apply-home", args=[link.application_id]),
        endless.pk,
    )


def test_a_closed_call_is_refused_and_nothing_is_created():
    call = CallFactory(closes_at=timezone.now() - timedelta(days=1))
    event = BrokerageEventFactory()
    grid(event)
    a, b = participant(event), participant(event)
    request = _meet(a, b)

    with pytest.raises(ValidationError) as refused:
        meeting_outcomes.start_application_together(
            meeting_request=request, actor=a.user, call=call
        )

    assert refused.value.messages == ["This call is not open for applications."]
    assert MeetingApplication.objects.count() == 0


def test_the_figures_page_counts_funded_projects_whose_partners_met_at_an_event(client):
    event = BrokerageEventFactory()
    grid(event, tables=2)
    a, b, c = participant(event), participant(event), participant(event)
    _meet(a, b)
    _meet(a, c)
    _held(event)
    call = results_call()
    project(call, [(a.organisation, "10000.00"), (b.organisation, "5000.00")])
    project(call, [(b.organisation, "10000.00"), (c.organisation, "5000.00")])  # b, c never met

    page = client.get(reverse("public:figures")).content.decode()

    assert '<dd data-figure="meetings_held">2</dd>' in page
    assert '<dd data-figure="consortia_formed">0</dd>' in page
    assert '<dd data-figure="funded_consortia_met">1</dd>' in page
    assert Meeting.objects.count() == 2
