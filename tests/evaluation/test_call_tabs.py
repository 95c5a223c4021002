"""Staff reach every stage of a call from one tab bar, each tab with its count."""

import re

import pytest
from django.test import override_settings

from accounts import roles
from calls.models import ApplicationState, Call
from calls.services.applications import application_transition, applications_transition
from calls.tab_counts import tab_figures
from tests.auth import sign_in
from tests.evaluation.conftest import with_mfa
from tests.evaluation.factories import (
    accepted_assignment,
    closed_call,
    evaluator,
    submitted_application,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The figures of the tab bar on every staff page of a call (applications, eligibility,
# assignments, open consensus steps, the latest decision session, complaints, vouchers): one
# query, the ledger's head, under which they are kept (`calls.tab_counts`; their own query runs
# once after each recorded change); seven before issue #15.
TAB_BAR_QUERIES = 1


def tabs(html: str) -> list[tuple[str, str, bool]]:
    """(label with count, href, current) of each tab, in order."""
    bar = html.split('<nav class="tabs"', 1)[1].split("</nav>", 1)[0]
    found = []
    for href, attrs, inner in re.findall(r'<a href="([^"]+)"([^>]*)>(.*?)</a>', bar, re.S):
        label = re.sub(r'<span class="visually-hidden">.*?</span>', "", inner, flags=re.S)
        label = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", label)).strip()
        found.append((label, href, 'aria-current="page"' in attrs))
    return found


def test_the_tab_bar_leads_to_every_stage_with_counts_and_marks_the_current_page(client):
    call = closed_call()
    submitted_application(call)
    submitted_application(call)
    eligible = submitted_application(call, state=ApplicationState.ELIGIBLE)
    accepted_assignment(eligible, evaluator())
    sign_in(client, with_mfa(UserFactory(roles=[roles.STAFF])))

    html = client.get(f"/manage/calls/{call.slug}/").content.decode()

    slug = call.slug
    assert tabs(html) == [
        ("Settings", f"/manage/calls/{slug}/", True),
        ("Applications 3", f"/manage/calls/{slug}/applications/", False),
        ("Eligibility 2", f"/manage/calls/{slug}/eligibility/", False),
        ("Assignments 1", f"/manage/calls/{slug}/assignments/", False),
        ("Scores and consensus 0", f"/manage/calls/{slug}/scores/", False),
        ("Ranking", f"/manage/calls/{slug}/ranking/", False),
        ("Decision", "/committee/", False),
        ("Results and complaints 0", f"/manage/calls/{slug}/results/", False),
        ("Vouchers 0", f"/manage/vouchers/calls/{slug}/", False),
        ("Impact 0", f"/manage/calls/{slug}/impact/", False),
    ]
    assert html.count('class="stage-now"') == 1  # a closed call: eligibility is the stage now
    assert '<li class="stage-now"><a href="/manage/calls/' + slug + '/eligibility/"' in html


def test_every_tab_opens_a_page_that_shows_the_same_bar_with_itself_current(client):
    call = closed_call()
    submitted_application(call)
    sign_in(client, with_mfa(UserFactory(roles=[roles.STAFF])))
    first = tabs(client.get(f"/manage/calls/{call.slug}/").content.decode())

    for label, href, _current in first:
        response = client.get(href)
        assert response.status_code == 200, href
        if href == "/committee/":  # no session yet: the committee's list, outside the bar
            continue
        here = tabs(response.content.decode())
        assert [t[:2] for t in here] == [t[:2] for t in first], href
        assert [t[0] for t in here if t[2]] == [label], href


def test_the_figures_are_each_calls_own_and_follow_every_recorded_change():
    """The bar's statement is compiled once per process and its figures kept under the
    ledger's head (`calls.tab_counts`): a change of state, recorded in the ledger by its
    service, is seen by the next page."""
    first, second = closed_call(), closed_call()
    submitted_application(first)
    submitted_application(first)
    submitted_application(second, state=ApplicationState.ELIGIBLE)
    waiting = submitted_application(second)
    staff = UserFactory(roles=[roles.STAFF])

    assert _figures(first) == {"applications": 2, "to_decide": 2}
    assert _figures(second) == {"applications": 2, "to_decide": 1}

    application_transition(application=waiting, to_state=ApplicationState.ELIGIBLE, actor=staff)
    assert _figures(second) == {"applications": 2, "to_decide": 0}
    assert _figures(first) == {"applications": 2, "to_decide": 2}

    applications_transition(
        call=first,
        from_state=ApplicationState.SUBMITTED,
        to_state=ApplicationState.INELIGIBLE,
        actor=staff,
        reason="Not an SME.",
    )
    assert _figures(first) == {"applications": 2, "to_decide": 0}


def test_a_second_page_of_the_call_reads_only_the_ledgers_head(django_assert_num_queries):
    call = closed_call()
    submitted_application(call)
    assert _figures(call) == {"applications": 1, "to_decide": 1}

    fresh = Call.objects.get(pk=call.pk)  # another request's call: nothing kept on it
    with django_assert_num_queries(1):  # the ledger's head; the figures are kept under it
        figures = tab_figures(fresh)
    assert (figures["submitted_applications"], figures["eligibility_to_decide"]) == (1, 1)


def test_with_the_cache_server_down_the_figures_are_read_from_the_database():
    call = closed_call()
    submitted_application(call)
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    with override_settings(CACHES={"default": unreachable}):
        assert _figures(call) == {"applications": 1, "to_decide": 1}
        submitted_application(call)  # nothing kept: even a change outside the ledger shows
        assert _figures(call) == {"applications": 2, "to_decide": 2}


def _figures(call) -> dict[str, int]:
    figures = tab_figures(Call.objects.get(pk=call.pk))  # a fresh object: nothing kept on it
    return {
        "applications": figures["submitted_applications"],
        "to_decide": figures["eligibility_to_decide"],
    }
