"""Privileged access needs *this session* to have passed the second factor (issue #11, 1-2): an
enrolled TOTP device is not enough, the admin's login goes through allauth's, and every read a
role allows (pages, downloads, API) asks the same question."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import roles
from accounts.management.commands.demo_totp import current_code
from accounts.services.tokens import api_token_create
from tests.auth import sign_in
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

REAUTHENTICATE = "/accounts/2fa/reauthenticate/?next="
ACTIVATE = "/accounts/2fa/totp/activate/"


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def enrolled_staff(**kwargs):
    user = verified(UserFactory(roles=[roles.STAFF], **kwargs))
    TOTP.activate(user, generate_totp_secret())
    return user


def organisation_pages(organisation) -> list[str]:
    return [
        reverse("accounts:organisation-detail", args=[organisation.pk]),
        reverse("accounts:sme-declarations", args=[organisation.pk]),
    ]


def test_the_admin_login_form_no_longer_takes_a_password(client):
    admin = enrolled_staff(is_staff=True, is_superuser=True)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": admin.email, "password": DEFAULT_PASSWORD}
    )
    assert (response.status_code, response.url) == (302, "/accounts/login/?next=%2Fadmin%2F")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert client.get("/manage/ledger/").status_code == 302


def test_forty_wrong_admin_passwords_then_the_right_one_do_not_sign_in(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    cache.clear()
    admin = enrolled_staff(is_staff=True, is_superuser=True)
    for attempt in range(40):
        client.post("/admin/login/", {"username": admin.email, "password": f"wrong-{attempt}"})
    client.post("/admin/login/", {"username": admin.email, "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session
    # The admin's login is allauth's now, and allauth's limit holds there.
    assert client.get("/admin/login/").url == "/accounts/login/?next=%2Fadmin%2Flogin%2F"
    for attempt in range(40):
        client.post(reverse("account_login"), {"login": admin.email, "password": f"x{attempt}"})
    response = client.post(
        reverse("account_login"), {"login": admin.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    cache.clear()


def test_the_admin_needs_the_second_factor_of_the_session(client):
    admin = enrolled_staff(is_staff=True, is_superuser=True)
    sign_in(client, admin, mfa=False)
    response = client.get("/admin/")
    assert (response.status_code, response.url) == (302, "/admin/login/?next=/admin/")
    response = client.get(response.url)
    assert (response.status_code, response.url) == (
        302,
        REAUTHENTICATE + "%2Fadmin%2Flogin%2F%3Fnext%3D%2Fadmin%2F",
    )
    assert client.get(reverse("admin:accounts_apitoken_changelist")).status_code == 302
    sign_in(client, admin)
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("admin:accounts_apitoken_changelist")).status_code == 200


def test_a_password_only_session_of_enrolled_staff_reaches_nothing_privileged(client):
    staff = enrolled_staff()
    other = MembershipFactory().organisation
    sign_in(client, staff, mfa=False)
    for url in ["/manage/ledger/", "/manage/vouchers/", *organisation_pages(other)]:
        response = client.get(url)
        assert (response.status_code, response.url) == (
            302,
            REAUTHENTICATE + url.replace("/", "%2F"),
        ), url
    assert client.get("/api/v1/manage/payments/").status_code == 403
    assert client.get("/api/v1/manage/vouchers/").status_code == 403
    dashboard = client.get("/dashboard/").content.decode()
    assert 'id="staff-heading"' not in dashboard
    assert "Enter a code from your authenticator app" in dashboard


def test_the_same_staff_after_the_second_factor_reach_it_all(client):
    staff = enrolled_staff()
    other = MembershipFactory().organisation
    sign_in(client, staff)
    for url in ["/manage/ledger/", "/manage/vouchers/", *organisation_pages(other)]:
        assert client.get(url).status_code == 200, url
    assert client.get("/api/v1/manage/payments/").status_code == 200
    assert 'id="staff-heading"' in client.get("/dashboard/").content.decode()


def test_staff_without_totp_read_no_organisation_and_are_sent_to_turn_it_on(client):
    staff = verified(UserFactory(roles=[roles.STAFF]))
    other = MembershipFactory().organisation
    sign_in(client, staff, mfa=False)
    for url in organisation_pages(other):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, ACTIVATE), url
    assert "Turn on two-factor authentication" in client.get("/dashboard/").content.decode()


def test_members_read_their_own_organisation_without_a_second_factor(client):
    membership = MembershipFactory()
    sign_in(client, membership.user, mfa=False)
    for url in organisation_pages(membership.organisation):
        assert client.get(url).status_code == 200, url


def test_a_superuser_without_the_second_factor_has_no_blanket_powers(client):
    admin = enrolled_staff(is_staff=True, is_superuser=True)
    sign_in(client, admin, mfa=False)
    assert admin.has_perm("accounts.view_organisation", MembershipFactory().organisation) is False
    response = client.get("/manage/ledger/")
    assert response.url == REAUTHENTICATE + "%2Fmanage%2Fledger%2F"


# Committed for real: allauth announces the new device after commit, within the request.
@pytest.mark.django_db(transaction=True)
def test_activating_totp_counts_as_the_sessions_second_factor(client):
    evaluator = verified(UserFactory(roles=[roles.EVALUATOR]))
    client.post(reverse("account_login"), {"login": evaluator.email, "password": DEFAULT_PASSWORD})
    response = client.get(reverse("evaluation:evaluator-home"))
    assert (response.status_code, response.url) == (302, ACTIVATE)
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    secret = client.get(ACTIVATE).context["form"].secret
    if time.time() % 30 > 28:  # allauth accepts only the current 30-second window
        time.sleep(30 - time.time() % 30 + 0.2)
    response = client.post(ACTIVATE, {"code": current_code(secret)})
    assert response.status_code == 302
    response = client.get(reverse("evaluation:evaluator-home"))
    # No longer sent to the TOTP step: on to the evaluator's declaration.
    assert (response.status_code, response.url) == (302, reverse("evaluation:declaration"))


def test_a_token_counts_as_second_factor_only_when_it_says_so():
    person = UserFactory()
    _token, single_factor = api_token_create(user=person, name="before", session_mfa=False)
    person.groups.add(*UserFactory(roles=[roles.STAFF]).groups.all())
    _token, verified_secret = api_token_create(user=person, name="after", session_mfa=True)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {single_factor}")
    assert api.get("/api/v1/manage/vouchers/").status_code == 403
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {verified_secret}")
    assert api.get("/api/v1/manage/vouchers/").status_code == 200
