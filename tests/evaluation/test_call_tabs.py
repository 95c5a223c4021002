"""Staff reach every stage of a call from one tab bar, each tab with its count."""

import re

import pytest

from accounts import roles
from calls.models import ApplicationState, Call
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
# assignments, open consensus steps, the latest decision session, complaints, vouchers), read
# in one query (`calls.tab_counts`); seven before issue #15.
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


def test_the_figures_are_each_calls_own_and_follow_its_changes():
    """The bar's statement is compiled once per process (`calls.tab_counts`): only the call's
    id changes, and every read is of the database as it is now."""
    first, second = closed_call(), closed_call()
    submitted_application(first)
    submitted_application(first)
    submitted_application(second, state=ApplicationState.ELIGIBLE)

    assert _figures(first) == {"applications": 2, "to_decide": 2}
    assert _figures(second) == {"applications": 1, "to_decide": 0}

    submitted_application(second)
    assert _figures(second) == {"applications": 2, "to_decide": 1}
    assert _figures(first) == {"applications": 2, "to_decide": 2}


def _figures(call) -> dict[str, int]:
    figures = tab_figures(Call.objects.get(pk=call.pk))  # a fresh object: nothing kept on it
    return {
        "applications": figures["submitted_applications"],
        "to_decide": figures["eligibility_to_decide"],
    }
