"""Failed log-ins are limited per client address and per account *and* address, so nobody can
lock an account's owner out by guessing from elsewhere; a looser account-wide limit bounds
guessing spread over many addresses, except from addresses the owner signed in from."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "30/h/key",
}
TOO_MANY = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def _limits(settings):
    cache.clear()  # allauth keeps its counters in the cache
    settings.ACCOUNT_RATE_LIMITS = LIMITS
    yield
    cache.clear()


def person(email: str):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in(client, email: str, password: str, address: str, forwarded: str | None = None) -> str:
    """'in' when signed in, 'too many' when refused by a limit, 'wrong' otherwise."""
    client.logout()
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}, **extra
    )
    if response.status_code == 302 and "_auth_user_id" in client.session:
        return "in"
    return "too many" if TOO_MANY in response.content.decode() else "wrong"


def test_guessing_from_one_address_does_not_lock_the_owner_out_from_another(client):
    person("owner@example.eu")

    guesses = [log_in(client, "owner@example.eu", "guess", "198.51.100.7") for _ in range(6)]
    owner = log_in(client, "owner@example.eu", DEFAULT_PASSWORD, "203.0.113.20")
    right_password_from_guesser = log_in(
        client, "owner@example.eu", DEFAULT_PASSWORD, "198.51.100.7"
    )

    assert guesses == ["wrong"] * 5 + ["too many"]
    assert owner == "in"
    assert right_password_from_guesser == "too many"


def test_an_address_is_limited_across_accounts(client):
    person("victim@example.eu")
    for n in range(10):
        person(f"user{n}@example.eu")

    guesses = [log_in(client, f"user{n}@example.eu", "guess", "198.51.100.7") for n in range(10)]
    from_guesser = log_in(client, "victim@example.eu", DEFAULT_PASSWORD, "198.51.100.7")
    from_elsewhere = log_in(client, "victim@example.eu", DEFAULT_PASSWORD, "203.0.113.20")

    assert guesses == ["wrong"] * 10
    assert (from_guesser, from_elsewhere) == ("too many", "in")


def test_behind_the_proxy_people_are_told_apart_by_the_address_it_appends(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    person("victim@example.eu")
    proxy = "10.0.0.2"

    guesses = [
        log_in(client, "victim@example.eu", "guess", proxy, f"1.2.3.{n}, 198.51.100.7")
        for n in range(11)
    ]
    someone_else = log_in(client, "victim@example.eu", DEFAULT_PASSWORD, proxy, "203.0.113.20")

    assert guesses == ["wrong"] * 5 + ["too many"] * 6
    assert someone_else == "in"


def test_guessing_spread_over_many_addresses_hits_the_account_limit_but_not_the_owners_address(
    client,
):
    person("owner@example.eu")
    assert log_in(client, "owner@example.eu", DEFAULT_PASSWORD, "203.0.113.20") == "in"

    guesses = [log_in(client, "owner@example.eu", "guess", f"198.51.100.{n}") for n in range(31)]
    new_address = log_in(client, "owner@example.eu", DEFAULT_PASSWORD, "192.0.2.50")
    owners_address = log_in(client, "owner@example.eu", DEFAULT_PASSWORD, "203.0.113.20")

    assert guesses == ["wrong"] * 30 + ["too many"]
    assert new_address == "too many"
    assert owners_address == "in"


def test_a_password_reset_lifts_the_account_wide_limit(client):
    person("owner@example.eu")
    for n in range(30):
        log_in(client, "owner@example.eu", "guess", f"198.51.100.{n}")
    assert log_in(client, "owner@example.eu", DEFAULT_PASSWORD, "192.0.2.50") == "too many"

    client.post(
        reverse("account_reset_password"), {"email": "owner@example.eu"}, REMOTE_ADDR="192.0.2.50"
    )
    reset_url = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(reset_url, REMOTE_ADDR="192.0.2.50").url
    new_password = "New-passw0rd-for-ore!"
    client.post(
        form_url, {"password1": new_password, "password2": new_password}, REMOTE_ADDR="192.0.2.50"
    )

    assert log_in(client, "owner@example.eu", new_password, "192.0.2.50") == "in"
