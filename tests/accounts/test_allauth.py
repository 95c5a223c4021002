"""Sign-up with verification, sign-in, password reset and MFA for privileged areas (allauth)."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse

from accounts import roles
from accounts.management.commands.demo_totp import current_code
from tests.auth import sign_in
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Gold-and-copper-2026!"


def _link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def test_signup_verify_and_login(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Aino@Example.eu",
            "full_name": "Aino Virtanen",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.url == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aino@example.eu"]
    address = EmailAddress.objects.get()
    assert (address.email, address.verified) == ("aino@example.eu", False)
    assert address.user.full_name == "Aino Virtanen"

    confirm_url = _link(mail.outbox[0].body)
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)
    address.refresh_from_db()
    assert address.verified is True
    # Signed in on confirmation, and sent to "create or join an organisation".
    assert response.url == reverse("accounts:organisations")

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "aino@example.eu", "password": PASSWORD}
    )
    assert response.url == reverse("accounts:organisations")


def test_login_refused_until_verified(client):
    user = UserFactory(email="unverified@example.eu")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_password_reset(client):
    user = UserFactory(email="forgetful@example.eu")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    reset_url = _link(mail.outbox[0].body)
    response = client.get(reset_url)
    assert response.status_code == 302  # allauth moves the key into the session
    response = client.post(
        response.url, {"password1": "New-passw0rd-for-ore!", "password2": "New-passw0rd-for-ore!"}
    )
    assert response.url == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password("New-passw0rd-for-ore!") is True


def test_allauth_pages_use_our_layout(client):
    html = client.get(reverse("account_login")).content.decode()
    assert html.count('class="skip-link"') == 1
    assert '<main id="main">' in html or 'id="main"' in html
    assert 'for="id_login"' in html


def test_staff_without_mfa_is_sent_to_totp_activation(client):
    staff = UserFactory(roles=[roles.STAFF])
    client.force_login(staff)
    response = client.get("/manage/ledger/")
    assert (response.status_code, response.url) == (302, reverse("mfa_activate_totp"))


def test_staff_with_mfa_reaches_the_ledger(client):
    staff = UserFactory(roles=[roles.STAFF])
    TOTP.activate(staff, generate_totp_secret())
    sign_in(client, staff)
    response = client.get("/manage/ledger/")
    assert response.status_code == 200
    assert response.resolver_match.view_name == "ledger:list"


def test_totp_activation_page_renders_in_our_layout(client):
    user = UserFactory(roles=[roles.EVALUATOR])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})
    # Turning MFA on asks for the password again (allauth's reauthentication), in our layout too.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="skip-link"') == 1
    assert 'name="code"' in html


def _sign_in(client, user):
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )


def test_email_change_needs_verification_then_replaces_login(client):
    user = UserFactory(email="old@example.eu")
    _sign_in(client, user)
    client.post(reverse("account_email"), {"action_add": "", "email": "new@example.eu"})
    assert [m.to for m in mail.outbox] == [["new@example.eu"]]
    user.refresh_from_db()
    assert user.email == "old@example.eu"
    client.post(_link(mail.outbox[0].body))
    user.refresh_from_db()
    assert user.email == "new@example.eu"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "primary")) == [
        ("new@example.eu", True)
    ]


def test_sign_in_with_totp_asks_for_the_code(client):
    user = UserFactory(roles=[roles.COMMITTEE])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = _sign_in(client, user)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    valid_now = {current_code(secret, time.time() + drift) for drift in (-30, 0, 30)}
    wrong = next(f"{n:06d}" for n in range(1000) if f"{n:06d}" not in valid_now)
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert "_auth_user_id" not in client.session
    if time.time() % 30 > 28:  # allauth accepts only the current 30-second window
        time.sleep(30 - time.time() % 30 + 0.2)
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.url == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)
