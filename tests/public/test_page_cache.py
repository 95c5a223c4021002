"""Whole anonymous public pages from the page cache (minegap.core.page_cache): a change written
through the real services shows at once, each language and visitor gets their own page and CSRF
token, signed-in people and pages with messages are never served from it."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from calls.models import ApplicationState, CallState
from calls.services.calls import publish_call
from evaluation.services.publication import publish_results
from events.models import EventState
from events.services import publish_event
from minegap.core.page_cache import CSRF_PLACEHOLDER
from minegap.core.release import release
from tests.auth import sign_in
from tests.calls.factories import CallFactory
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.public.factories import project, results_call, sme

pytestmark = pytest.mark.django_db

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _text(client: Client, url: str, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def staff(db):
    return UserFactory(roles=[roles.STAFF])


def test_a_second_anonymous_visit_is_served_without_a_query(client, django_assert_num_queries):
    CallFactory(title="Tailings reprocessing call")
    first = _text(client, reverse("calls:public-list"))

    with django_assert_num_queries(0):
        second = _text(Client(), reverse("calls:public-list"))

    assert ("Tailings reprocessing call" in first, "Tailings reprocessing call" in second) == (
        True,
        True,
    )


def test_results_published_through_the_service_show_at_once(client, staff):
    call = results_call(state=CallState.DECIDED)
    project(call, [(sme(), "25000.00")], state=ApplicationState.SELECTED, acronym="TAILX")
    before = (_text(client, "/"), _text(client, reverse("public:projects")))

    publish_results(call=call, actor=staff)
    after = (_text(client, "/"), _text(client, reverse("public:projects")))

    assert [("TAILX" in page) for page in (*before, *after)] == [False, False, True, True]


def test_a_call_published_through_the_service_shows_at_once(client, staff):
    call = CallFactory(state=CallState.DRAFT, title="Critical minerals traceability call")
    before = (_text(client, "/"), _text(client, reverse("calls:public-list")))

    publish_call(call=call, actor=staff, acknowledge_short_window=True)
    after = (_text(client, "/"), _text(client, reverse("calls:public-list")))

    assert [("Critical minerals traceability call" in page) for page in (*before, *after)] == [
        False,
        False,
        True,
        True,
    ]


def test_an_event_published_through_the_service_shows_at_once(client, staff):
    event = EventFactory(state=EventState.DRAFT, title="Bioleaching info day")
    before = _text(client, reverse("events:list"))

    publish_event(event=event, actor=staff)
    after = _text(client, reverse("events:list"))

    assert ("Bioleaching info day" in before, "Bioleaching info day" in after) == (False, True)


def test_a_call_opening_by_the_clock_shows_open_once_it_opens(client, time_machine):
    now = timezone.now()
    time_machine.move_to(now)
    CallFactory(
        title="Clockwork call",
        opens_at=now + timedelta(minutes=2),
        closes_at=now + timedelta(days=90),
    )
    before = _text(client, reverse("calls:public-list"))

    time_machine.move_to(now + timedelta(minutes=3))  # within the cache's ten minutes
    after = _text(client, reverse("calls:public-list"))

    assert ("Published (not yet open)" in before, "Published (not yet open)" in after) == (
        True,
        False,
    )


def test_each_language_gets_its_own_page(client):
    english = _text(client, "/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    spanish = _text(client, "/")
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    english_again = _text(client, "/")

    assert [
        ('<html lang="en">' in page, "Convocatorias abiertas" in page)
        for page in (english, spanish, english_again)
    ] == [(True, False), (False, True), (True, False)]


def test_signed_in_people_never_get_the_cached_page_nor_leave_theirs(client):
    anonymous_before = _text(Client(), reverse("public:figures"))
    sign_in(client, UserFactory())
    signed_in = _text(client, reverse("public:figures"))
    anonymous_after = _text(Client(), reverse("public:figures"))

    assert [("Sign out" in page, "Register" in page) for page in (
        anonymous_before, signed_in, anonymous_after
    )] == [(False, True), (True, False), (False, True)]  # fmt: skip


def test_each_visitor_gets_a_token_of_their_own_that_works(django_assert_num_queries):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = _text(first, "/")
    with django_assert_num_queries(0):  # served from the cache
        second_page = _text(second, "/")
    tokens = [
        (CSRF_META.search(page).group(1), CSRF_INPUT.search(page).group(1))
        for page in (first_page, second_page)
    ]

    switched = second.post(
        reverse("set_language"),
        {"language": "es", "next": "/", "csrfmiddlewaretoken": tokens[1][1]},
    )

    assert tokens[0][0] != tokens[1][0]
    assert tokens[1][0] == tokens[1][1]
    assert CSRF_PLACEHOLDER not in first_page + second_page
    assert (switched.status_code, switched.cookies[settings.LANGUAGE_COOKIE_NAME].value) == (
        302,
        "es",
    )


def test_a_page_shown_with_a_message_is_neither_served_from_nor_kept_in_the_cache(client):
    _text(Client(), "/")  # cached for anonymous visitors
    sign_in(client, UserFactory())

    signed_out = client.post(reverse("account_logout"), follow=True).content.decode()
    next_visit = _text(client, "/")

    assert ("You have signed out." in signed_out, "You have signed out." in next_visit) == (
        True,
        False,
    )


def test_a_page_cached_by_one_release_is_drawn_afresh_by_the_next(django_assert_num_queries):
    CallFactory(title="Tailings reprocessing call")
    url = reverse("calls:public-list")
    try:
        with override_settings(RELEASE="2026.12.1"):
            release.cache_clear()
            _text(Client(), url)
            with django_assert_num_queries(0):  # kept for this release
                _text(Client(), url)
        with override_settings(RELEASE="2026.12.2"):
            release.cache_clear()
            with CaptureQueriesContext(connection) as drawn:
                assert "Tailings reprocessing call" in _text(Client(), url)
            assert len(drawn) > 0  # what the old code drew is not served
    finally:
        release.cache_clear()
