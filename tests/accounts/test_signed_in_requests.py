"""What every signed-in request reads before its view (issue #15): its session from the cache
(the database stays the record), the person with their roles and "has a membership" in one
query; and every change that must end or narrow a session still does so on the next request."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.backends import user_with_roles
from accounts.rules import is_applicant, is_committee_member, is_consortium_staff, is_evaluator
from accounts.services import erasure_request_process
from tests.auth import sign_in
from tests.evaluation.conftest import with_mfa
from tests.factories import MembershipFactory, UserFactory
from tests.redis_server import start_redis_server

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
LEDGER = "/manage/ledger/"


def signed_out(response, page: str) -> bool:
    return (response.status_code, response.url) == (302, f"/accounts/login/?next={page}")


def same_session(client) -> Client:
    """A second browser holding the same session cookie (a copied or stolen one)."""
    other = Client()
    name = settings.SESSION_COOKIE_NAME
    other.cookies[name] = client.cookies[name].value
    return other


# ---- the person, read with their roles ---------------------------------------------------


def test_the_person_is_read_with_their_roles_and_membership_in_one_query(
    django_assert_num_queries,
):
    person = UserFactory(roles=[roles.STAFF, roles.COMMITTEE])
    MembershipFactory(user=person)

    with django_assert_num_queries(1):
        user = user_with_roles(person.pk)
        answers = (
            is_consortium_staff(user),
            is_evaluator(user),
            is_committee_member(user),
            is_applicant(user),
        )

    assert (user.pk, user.email) == (person.pk, person.email)
    assert answers == (True, False, True, True)


def test_a_person_without_roles_or_membership_has_none():
    person = UserFactory()

    user = user_with_roles(person.pk)

    assert (is_consortium_staff(user), is_evaluator(user), is_applicant(user)) == (
        False,
        False,
        False,
    )


def test_an_unknown_or_malformed_id_is_nobody():
    assert (user_with_roles(987_654_321), user_with_roles("not-an-id")) == (None, None)


def test_a_user_object_not_read_with_its_roles_asks_for_its_membership_afresh():
    person = UserFactory()
    assert not is_applicant(person)

    MembershipFactory(user=person)

    assert is_applicant(person)


def test_a_signed_in_page_reads_the_session_without_a_query(client, django_assert_num_queries):
    """The dashboard of a person without roles: the person (with roles and membership) is its
    one query; the session comes from the cache."""
    sign_in(client, UserFactory(), mfa=False)
    client.get(DASHBOARD)  # the first request may rename or renew the session

    with django_assert_num_queries(1) as context:
        response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert "django_session" not in context.captured_queries[0]["sql"]


# ---- what must take effect on the next request --------------------------------------------


def test_a_deactivated_person_is_signed_out_on_the_next_request(client):
    person = UserFactory()
    sign_in(client, person, mfa=False)
    assert client.get(DASHBOARD).status_code == 200

    type(person).objects.filter(pk=person.pk).update(is_active=False)  # no signal, no save()

    assert signed_out(client.get(DASHBOARD), DASHBOARD)


def test_a_changed_password_signs_out_the_other_sessions_on_their_next_request(client):
    person = UserFactory()
    sign_in(client, person, mfa=False)
    assert client.get(DASHBOARD).status_code == 200

    person.set_password("an entirely new passphrase")
    person.save()

    assert signed_out(client.get(DASHBOARD), DASHBOARD)


def test_a_removed_role_is_gone_on_the_next_request(client):
    staff = with_mfa(UserFactory(roles=[roles.STAFF]))
    sign_in(client, staff)
    assert client.get(LEDGER).status_code == 200

    staff.groups.remove(Group.objects.get(name=roles.STAFF))

    assert client.get(LEDGER).status_code == 403


def test_a_granted_role_counts_on_the_next_request(client):
    person = with_mfa(UserFactory())
    sign_in(client, person)
    assert client.get(LEDGER).status_code == 403

    person.groups.add(Group.objects.get_or_create(name=roles.STAFF)[0])

    assert client.get(LEDGER).status_code == 200


def test_signing_out_ends_the_session_for_every_holder_of_its_cookie(client):
    sign_in(client, UserFactory(), mfa=False)
    assert client.get(DASHBOARD).status_code == 200
    copy = same_session(client)
    assert copy.get(DASHBOARD).status_code == 200

    client.post(reverse("account_logout"))

    assert signed_out(copy.get(DASHBOARD), DASHBOARD)


def test_a_session_ends_at_its_expiry_even_when_cached(client, time_machine):
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    sign_in(client, UserFactory(), mfa=False)
    session = client.session
    session.set_expiry(120)  # shorter than the cached copy's cap
    session.save()
    assert client.get(DASHBOARD).status_code == 200

    time_machine.shift(timedelta(seconds=121))

    assert signed_out(client.get(DASHBOARD), DASHBOARD)


def test_erasure_deletes_the_cached_copies_of_the_persons_sessions():
    person = with_mfa(UserFactory())
    browser = sign_in(Client(), person)
    assert browser.get(DASHBOARD).status_code == 200
    key = browser.session.session_key
    assert cache.get(KEY_PREFIX + key) is not None

    erasure_request_process(user=person)

    assert (cache.get(KEY_PREFIX + key), Session.objects.filter(session_key=key).exists()) == (
        None,
        False,
    )


# ---- the cache is not the record ------------------------------------------------------------


def test_sessions_survive_the_loss_of_the_cache(client):
    sign_in(client, UserFactory(), mfa=False)
    assert client.get(DASHBOARD).status_code == 200

    cache.clear()

    assert client.get(DASHBOARD).status_code == 200


def test_signing_in_using_and_ending_a_session_need_no_cache(tmp_path):
    """Redis down, behind a cache backend that raises (Django's own, not our tolerant one):
    the database answers every step."""
    process, _probe, port = start_redis_server(tmp_path)
    process.kill()
    process.wait()
    down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    with override_settings(CACHES={"default": down}):
        browser = sign_in(Client(), UserFactory(), mfa=False)
        copy = same_session(browser)
        assert browser.get(DASHBOARD).status_code == 200
        browser.post(reverse("account_logout"))

        assert signed_out(copy.get(DASHBOARD), DASHBOARD)


def test_a_deletion_the_cache_missed_lasts_at_most_the_cap(client, time_machine):
    """A session row deleted while Redis did not answer: its cached copy is served until the
    cap (SESSION_CACHE_SECONDS), never for the session's whole two weeks."""
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    sign_in(client, UserFactory(), mfa=False)
    assert client.get(DASHBOARD).status_code == 200

    Session.objects.filter(session_key=client.session.session_key).delete()
    assert client.get(DASHBOARD).status_code == 200  # the cached copy, for now
    time_machine.shift(timedelta(seconds=settings.SESSION_CACHE_SECONDS + 1))

    assert signed_out(client.get(DASHBOARD), DASHBOARD)


# ---- sessions signed in before the backends moved ----------------------------------------


def test_a_session_of_djangos_former_backend_stays_signed_in_and_is_renamed(client):
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(DASHBOARD).status_code == 200
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.ModelBackend"


def test_a_session_of_allauths_former_backend_stays_signed_in_and_is_renamed(client):
    client.force_login(UserFactory(), backend="allauth.account.auth_backends.AuthenticationBackend")

    assert client.get(DASHBOARD).status_code == 200
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.AuthenticationBackend"
