from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from calls import services
from calls.models import Call, CallState, MemberStatus
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.calls.factories import CallFactory, MemberFactory, complete_application
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(roles=["consortium-staff"])


def test_state_follows_the_clock_to_the_second():
    call = CallFactory(configured=False)
    assert call.state_at(call.opens_at - timedelta(seconds=1)) == CallState.PUBLISHED
    assert call.state_at(call.opens_at) == CallState.OPEN
    assert call.state_at(call.closes_at - timedelta(microseconds=1)) == CallState.OPEN
    assert call.state_at(call.closes_at) == CallState.CLOSED


def test_draft_call_is_never_open():
    call = CallFactory(configured=False, state=CallState.DRAFT)
    assert call.state_at(timezone.now()) == CallState.DRAFT


def test_the_open_filter_finds_the_calls_open_at_that_instant_to_the_microsecond():
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    day, tick = timedelta(days=1), timedelta(microseconds=1)
    windows = {
        "opens now": (now, now + day),
        "opens a microsecond later": (now + tick, now + day),
        "closes a microsecond later": (now - day, now + tick),
        "closes now": (now - day, now),
        "no deadline": (now - day, None),
        "no opening": (None, now + day),
    }
    calls = {
        (state, window): CallFactory(
            configured=False, state=state, opens_at=opens_at, closes_at=closes_at
        )
        for state in (CallState.PUBLISHED, CallState.OPEN, CallState.CLOSED, CallState.DRAFT)
        for window, (opens_at, closes_at) in windows.items()
    }
    found = set(Call.objects.filter(Call.open_at_filter(now)).values_list("pk", flat=True))

    open_windows = {"opens now", "closes a microsecond later", "no deadline"}
    assert {key for key, call in calls.items() if call.pk in found} == {
        (state, window)
        for state in (CallState.PUBLISHED, CallState.OPEN, CallState.CLOSED)
        for window in open_windows
    }
    assert {key for key, call in calls.items() if call.is_open_at(now)} == {
        key for key, call in calls.items() if call.pk in found
    }


def test_publish_lists_every_problem_at_once(staff):
    call = CallFactory(
        configured=False,
        state=CallState.DRAFT,
        body="",
        eligible_countries=[],
        cap_per_project=Decimal("2000000.00"),
    )
    with pytest.raises(ValidationError) as error:
        services.publish_call(call=call, actor=staff)
    assert error.value.messages == [
        "The call needs its full text.",
        "The cap per project exceeds the call's total budget.",
        "List at least one eligible country.",
        "Add at least one voucher type.",
        "Add at least one evaluation criterion.",
        "Add at least one question to the application form.",
    ]
    call.refresh_from_db()
    assert call.state == CallState.DRAFT


def test_publish_short_window_needs_acknowledgement(staff):
    now = timezone.now()
    call = CallFactory(
        state=CallState.DRAFT, opens_at=now + timedelta(days=1), closes_at=now + timedelta(weeks=4)
    )
    with pytest.raises(ValidationError) as error:
        services.publish_call(call=call, actor=staff)
    assert error.value.error_list[0].code == "short_window"
    services.publish_call(call=call, actor=staff, acknowledge_short_window=True)
    call.refresh_from_db()
    assert (call.state, call.short_window_acknowledged) == (CallState.PUBLISHED, True)
    entry = AuditEntry.objects.get(action="calls.call.published")
    assert (entry.target_id, entry.actor_id) == (str(call.pk), staff.pk)


def test_publish_eight_weeks_needs_no_acknowledgement(staff):
    now = timezone.now()
    call = CallFactory(
        state=CallState.DRAFT, opens_at=now + timedelta(days=1), closes_at=now + timedelta(weeks=9)
    )
    services.publish_call(call=call, actor=staff)
    call.refresh_from_db()
    assert (call.state, call.short_window_acknowledged) == (CallState.PUBLISHED, False)


def test_only_staff_publish():
    call = CallFactory(state=CallState.DRAFT)
    with pytest.raises(PermissionDenied):
        services.publish_call(call=call, actor=UserFactory())


def test_create_call_records_the_ledger(staff):
    call = services.create_call(
        actor=staff,
        data={
            "title": "Call 3",
            "slug": "call-3",
            "code": "C3",
            "summary": "S",
            "total_budget": Decimal("100000.00"),
            "cap_per_project": Decimal("50000.00"),
            "eligible_countries": ["FI"],
        },
    )
    assert (call.state, call.cap_per_third_party, call.time_zone) == (
        CallState.DRAFT,
        Decimal("60000.00"),
        "Europe/Brussels",
    )
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["calls.call.created"]


def test_goalposts_blocked_once_open_but_wording_allowed(staff):
    call = CallFactory()
    with pytest.raises(ValidationError) as error:
        services.update_call(call=call, actor=staff, data={"cap_per_third_party": Decimal("1")})
    assert error.value.messages == ["The call is open: cap_per_third_party can no longer change."]
    services.update_call(call=call, actor=staff, data={"summary": "Clearer summary."})
    call.refresh_from_db()
    assert (call.summary, call.cap_per_third_party) == ("Clearer summary.", Decimal("60000.00"))
    with pytest.raises(ValidationError):
        services.ensure_configurable(call)


def test_goalposts_editable_before_opening(staff):
    call = CallFactory(opens_at=timezone.now() + timedelta(days=1))
    services.update_call(call=call, actor=staff, data={"cap_per_third_party": Decimal("50000")})
    call.refresh_from_db()
    assert call.cap_per_third_party == Decimal("50000.00")


def test_the_new_deadline_e_mail_reads_it_in_the_language_and_the_calls_time_zone(staff):
    call = CallFactory(time_zone="Europe/Helsinki")
    complete_application(call)
    Notification.objects.all().delete()
    with translation.override("en"):
        services.extend_deadline(
            call=call, closes_at=datetime(2027, 6, 1, 14, 0, tzinfo=UTC), actor=staff
        )

    contexts = Notification.objects.filter(template="calls/deadline_extended").values_list(
        "context", flat=True
    )
    assert {(c["closes_at"], c["time_zone"]) for c in contexts} == {
        ("1 June 2027, 17:00", "Europe/Helsinki")
    }


def test_extend_deadline_logs_and_notifies_applicants(staff):
    call = CallFactory()
    draft_admin = UserFactory(email="draft@example.eu")
    application, lead_admin = complete_application(call)
    other = MemberFactory(application__call=call, is_lead=True)
    MembershipFactory(user=draft_admin, organisation=other.organisation)
    Notification.objects.all().delete()
    new = (call.closes_at + timedelta(days=7)).replace(microsecond=0)
    services.extend_deadline(call=call, closes_at=new, actor=staff)
    call.refresh_from_db()
    assert call.closes_at == new
    entry = AuditEntry.objects.filter(action="calls.call.deadline_extended").get()
    assert entry.data["new"] == new.isoformat().replace("+00:00", "Z")
    assert entry.actor_id == staff.pk
    recipients = sorted(
        Notification.objects.filter(template="calls/deadline_extended").values_list(
            "email", flat=True
        )
    )
    partner_admins = sorted(
        m.organisation.memberships.get().user.email
        for m in application.members.filter(status=MemberStatus.CONFIRMED)
    )
    assert recipients == sorted([draft_admin.email, *partner_admins])
    assert lead_admin.email in recipients


def test_deadline_cannot_move_earlier(staff):
    call = CallFactory(configured=False)
    with pytest.raises(ValidationError):
        services.extend_deadline(
            call=call, closes_at=call.closes_at - timedelta(hours=1), actor=staff
        )


def test_deadline_cannot_be_extended_after_closing(staff):
    call = CallFactory(configured=False)
    with time_machine.travel(call.closes_at, tick=False), pytest.raises(ValidationError):
        services.extend_deadline(
            call=call, closes_at=call.closes_at + timedelta(days=1), actor=staff
        )


def test_call_transitions_follow_the_life_cycle(staff):
    call = CallFactory(configured=False)
    with pytest.raises(ValidationError):
        services.call_transition(call=call, to_state=CallState.EVALUATING, actor=staff)
    with time_machine.travel(call.closes_at + timedelta(seconds=1), tick=False):
        services.call_transition(call=call, to_state=CallState.EVALUATING, actor=staff)
        with pytest.raises(ValidationError):
            services.call_transition(call=call, to_state=CallState.ARCHIVED, actor=staff)
        for state in (CallState.DECIDED, CallState.RESULTS_PUBLISHED, CallState.ARCHIVED):
            services.call_transition(call=call, to_state=state, actor=staff)
    call.refresh_from_db()
    assert call.state == CallState.ARCHIVED
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "calls.call.evaluating",
        "calls.call.decided",
        "calls.call.results_published",
        "calls.call.archived",
    ]


def test_sync_records_opening_and_closing_once():
    call = CallFactory(configured=False)
    services.sync_call_state(call=call)
    services.sync_call_state(call=call)
    with time_machine.travel(call.closes_at, tick=False):
        services.sync_call_state(call=call)
    call.refresh_from_db()
    assert call.state == CallState.CLOSED
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "calls.call.open",
        "calls.call.closed",
    ]
