"""Privileged sessions (issue #11, 9): short (idle and absolute limits), a fresh TOTP code before
approving a payment, countersigning an agreement or adopting a committee decision, and a
session's minutes only for staff and the members who sat in it."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.management.commands.demo_totp import current_code
from evaluation.models import DecisionState
from evaluation.services import decision as decision_services
from tests.auth import sign_in
from tests.evaluation.conftest import with_mfa
from tests.evaluation.decision_factories import adopt, ready_call
from tests.factories import MembershipFactory, UserFactory
from tests.vouchers.factories import active_voucher, selected_application, staff_user
from vouchers import services as voucher_services
from vouchers.models import VoucherState

pytestmark = pytest.mark.django_db

REAUTHENTICATE = "/accounts/2fa/reauthenticate/?next="


def staff_with_secret(**kwargs):
    user = staff_user(**kwargs)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def type_a_code(client, secret, url: str):
    """allauth's MFA re-authentication, which then replays the suspended request."""
    return client.post(f"{REAUTHENTICATE}{url.replace('/', '%2F')}", {"code": current_code(secret)})


def test_a_privileged_session_ends_after_an_idle_hour(client, time_machine):
    time_machine.move_to(timezone.now())
    staff, _secret = staff_with_secret()
    sign_in(client, staff)
    assert client.get("/manage/ledger/").status_code == 200
    assert client.session.get_expiry_age() == 3600
    time_machine.shift(timedelta(minutes=59))
    assert client.get("/manage/ledger/").status_code == 200  # activity renews it
    time_machine.shift(timedelta(minutes=61))
    response = client.get("/manage/ledger/")
    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/manage/ledger/")


def test_a_privileged_session_ends_eight_hours_after_sign_in_however_busy(
    client, time_machine, settings
):
    time_machine.move_to(timezone.now())
    settings.PRIVILEGED_SESSION_IDLE_SECONDS = 24 * 3600
    staff, _secret = staff_with_secret()
    sign_in(client, staff)
    for _hour in range(7):
        time_machine.shift(timedelta(hours=1))
        assert client.get("/manage/ledger/").status_code == 200
    time_machine.shift(timedelta(hours=1, minutes=1))
    response = client.get("/manage/ledger/")
    assert (response.status_code, response.url) == (
        302,
        "/accounts/login/?next=%2Fmanage%2Fledger%2F",
    )
    assert "_auth_user_id" not in client.session


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_privileged_session_is_written_at_most_once_a_minute(client, time_machine):
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    staff, _secret = staff_with_secret()
    sign_in(client, staff)
    assert client.get("/manage/ledger/").status_code == 200
    first_renewal = stored_expiry(client)
    assert first_renewal == timezone.now() + timedelta(hours=1)

    time_machine.shift(timedelta(seconds=59))
    assert client.get("/manage/ledger/").status_code == 200
    assert stored_expiry(client) == first_renewal  # not written again within the minute

    time_machine.shift(timedelta(seconds=2))
    assert client.get("/manage/ledger/").status_code == 200
    assert stored_expiry(client) == first_renewal + timedelta(seconds=61)


def test_a_session_idle_an_hour_after_a_request_between_renewals_is_over(client, time_machine):
    """The expiry counts from the last renewal, never later than the last request: the renewal
    interval never stretches the idle hour."""
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    staff, _secret = staff_with_secret()
    sign_in(client, staff)
    assert client.get("/manage/ledger/").status_code == 200
    time_machine.shift(timedelta(seconds=30))
    assert client.get("/manage/ledger/").status_code == 200
    time_machine.shift(timedelta(hours=1, seconds=1))  # an hour and a second after the last request
    response = client.get("/manage/ledger/")
    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/manage/ledger/")


def test_the_expiry_warning_counts_from_the_last_renewal(client, time_machine):
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    staff, _secret = staff_with_secret()
    sign_in(client, staff)
    first = client.get("/manage/ledger/").content.decode()
    time_machine.shift(timedelta(seconds=30))
    later = client.get("/manage/ledger/").content.decode()  # not renewed: 30 s less left

    assert 'data-session-expires-in="3600"' in first
    assert 'data-session-expires-in="3570"' in later


def test_the_expiry_warning_knows_a_privileged_session_by_its_keys_not_its_length(
    client, time_machine, settings
):
    """A session renewed under an idle limit that has since changed is still privileged: its
    expiry counts from its renewal, whatever length it was given."""
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    staff, _secret = staff_with_secret()
    sign_in(client, staff)
    client.get("/manage/ledger/")  # renewed: an hour from now
    settings.PRIVILEGED_SESSION_IDLE_SECONDS = 30 * 60
    time_machine.shift(timedelta(seconds=30))

    later = client.get("/manage/ledger/").content.decode()  # within the minute: not renewed

    assert client.session.get_expiry_age() == 3600
    assert 'data-session-expires-in="3570"' in later


def test_an_applicants_session_keeps_its_two_weeks(client):
    membership = MembershipFactory()
    sign_in(client, membership.user)
    client.get(reverse("accounts:organisation-detail", args=[membership.organisation.pk]))
    assert client.session.get_expiry_age() == 14 * 24 * 3600


def test_approving_a_payment_asks_for_a_fresh_code_then_goes_through(client, time_machine):
    time_machine.move_to(timezone.now())
    requester = staff_user()
    approver, secret = staff_with_secret()
    voucher = active_voucher(selected_application(), requester)
    instalment = voucher.instalments.get(sequence=1)
    payment_request = voucher_services.request_payment(instalment=instalment, actor=requester)
    url = reverse("vouchers:manage-action-on", args=[voucher.pk, "approve", payment_request.pk])
    sign_in(client, approver)
    time_machine.shift(timedelta(minutes=11))
    response = client.post(url, {"confirm": "on"})
    assert (response.status_code, response.url) == (302, REAUTHENTICATE + url.replace("/", "%2F"))
    instalment.refresh_from_db()
    assert instalment.state == "due"
    response = type_a_code(client, secret, url)
    assert response.status_code == 302
    instalment.refresh_from_db()
    assert instalment.state == "approved"


def test_countersigning_asks_for_a_fresh_code(client, time_machine):
    time_machine.move_to(timezone.now())
    staff, _secret = staff_with_secret()
    consortium = selected_application()
    voucher = voucher_services.draft_voucher(application=consortium.application, actor=staff)
    for share, admin in zip(voucher.shares.order_by("pk"), consortium.admins, strict=True):
        voucher_services.sign_share(
            share=share, actor=admin, password="correct-horse-battery-staple"
        )
    url = reverse("vouchers:manage-action", args=[voucher.pk, "countersign"])
    sign_in(client, staff)
    time_machine.shift(timedelta(minutes=11))
    response = client.post(url, {"confirm": "on"})
    assert response.url == REAUTHENTICATE + url.replace("/", "%2F")
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.SIGNED
    sign_in(client, staff)  # a code typed just now
    assert client.post(url, {"confirm": "on"}).status_code == 302
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.ACTIVE


def test_adopting_a_decision_asks_for_a_fresh_code(client, time_machine):
    time_machine.move_to(timezone.now())
    staff, secret = staff_with_secret()
    ready = ready_call()
    session = decision_services.open_decision_session(call=ready.call, actor=staff)
    decision_services.record_attendance(session=session, actor=staff, present=ready.committee)
    decision_services.open_voting(session=session, actor=staff)
    for member in ready.committee:
        decision_services.cast_vote(session=session, member=member, choice="for")
    url = reverse("evaluation:committee-voting", args=[session.pk])
    sign_in(client, staff)
    time_machine.shift(timedelta(minutes=11))
    response = client.post(url, {"action": "close"})
    assert response.url == REAUTHENTICATE + url.replace("/", "%2F")
    session.refresh_from_db()
    assert session.state == DecisionState.VOTING
    type_a_code(client, secret, url)
    session.refresh_from_db()
    assert session.state == DecisionState.ADOPTED


def test_minutes_only_for_staff_and_the_members_who_sat(client):
    staff = with_mfa(UserFactory(roles=[roles.STAFF]))
    ready = ready_call()
    session = adopt(ready, staff)
    url = reverse("evaluation:committee-minutes", args=[session.pk])
    absent = with_mfa(UserFactory(roles=[roles.COMMITTEE]))
    sign_in(client, absent)
    assert client.get(url).status_code == 403
    for person in (ready.committee[0], staff):
        sign_in(client, person)
        assert client.get(url).status_code == 200
