"""A signed-in session is renewed by activity at most once an hour (SessionRenewalMiddleware),
not written on every request: two weeks after the last activity, not after the sign-in."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.auth import sign_in
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_activity_keeps_an_applicants_session_beyond_two_weeks(client, time_machine):
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    membership = MembershipFactory()
    sign_in(client, membership.user, mfa=False)
    page = reverse("accounts:organisation-detail", args=[membership.organisation.pk])

    time_machine.shift(timedelta(days=13))
    assert client.get(page).status_code == 200
    renewed_on = timezone.now()
    assert stored_expiry(client) == renewed_on + timedelta(days=14)

    time_machine.shift(timedelta(days=13))
    assert client.get(page).status_code == 200  # 26 days after signing in, still signed in


def test_the_session_is_written_at_most_once_an_hour(client, time_machine):
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    membership = MembershipFactory()
    sign_in(client, membership.user, mfa=False)
    page = reverse("accounts:organisation-detail", args=[membership.organisation.pk])
    client.get(page)
    first_renewal = stored_expiry(client)

    time_machine.shift(timedelta(minutes=59))
    client.get(page)
    assert stored_expiry(client) == first_renewal  # not written again within the hour

    time_machine.shift(timedelta(minutes=2))
    client.get(page)
    assert stored_expiry(client) == first_renewal + timedelta(minutes=61)


def test_an_idle_applicants_session_ends_after_two_weeks(client, time_machine):
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    membership = MembershipFactory()
    sign_in(client, membership.user, mfa=False)
    page = reverse("accounts:organisation-detail", args=[membership.organisation.pk])
    assert client.get(page).status_code == 200

    time_machine.shift(timedelta(days=14, minutes=1))
    response = client.get(page)
    assert (response.status_code, response.url) == (302, f"/accounts/login/?next={page}")
