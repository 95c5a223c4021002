"""The applications the ranking leaves out while their evaluation is not over: a few are named,
many are counted, and the ranking page links to the list of them (a call of 3,000 applications
printed 1,303 references in one sentence)."""

import pytest
from django.urls import reverse

from calls.models import ApplicationState
from tests.auth import sign_in
from tests.evaluation.factories import closed_call, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def eleven_pending():
    """A closed call whose eleven applications wait for their scores."""
    call = closed_call(code="PEN")
    applications = [
        submitted_application(call, state=ApplicationState.UNDER_EVALUATION) for _ in range(11)
    ]
    return call, applications


def test_the_ranking_page_counts_them_and_links_to_their_list(staff_client, eleven_pending):
    call, _applications = eleven_pending

    page = staff_client.get(reverse("evaluation:ranking", args=[call.slug])).content.decode()

    assert "The ranking is not complete: 11 applications still pending." in page
    assert "PEN-0001" not in page
    assert "11 applications still in evaluation (scores missing or divergence unsettled)." in page
    assert (
        f'<a href="/manage/calls/{call.slug}/ranking/pending/">'
        "List the applications still in evaluation</a>"
    ) in page


def test_the_committee_page_counts_them_too(staff_client, eleven_pending):
    page = staff_client.get(reverse("evaluation:committee")).content.decode()

    assert "The ranking is not complete: 11 applications still pending." in page


def test_their_list_names_and_links_each_one(client, committee, eleven_pending):
    call, applications = eleven_pending
    sign_in(client, committee)

    response = client.get(reverse("evaluation:ranking-pending", args=[call.slug]))

    page = response.content.decode()
    items = page.split('<ul id="pending-applications">', 1)[1].split("</ul>", 1)[0]
    assert [line.strip() for line in items.strip().splitlines()] == [
        f'<li><a href="/apply/applications/{application.pk}/">PEN-{n:04d}</a></li>'
        for n, application in enumerate(applications, start=1)
    ]
    assert (
        "11 applications are not in the ranking yet: their scores are missing or their "
        "divergence is unsettled."
    ) in page


def test_an_empty_list_says_so(staff_client):
    call = closed_call()

    page = staff_client.get(reverse("evaluation:ranking-pending", args=[call.slug]))

    assert "Every evaluated application is in the ranking." in page.content.decode()
