"""The results page of an application computes its evaluation summary report once per version
of the call's results, not on every visit (issue #15: a report reads the whole ranking)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calls.results_cache import results_changed
from evaluation.services.publication import publish_results
from tests.evaluation.results_factories import decided_call
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _visit(client, application) -> tuple[str, int]:
    """The page's text (its CSRF tokens, drawn anew each time, left out) and how many of its
    queries read the scores."""
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("evaluation:applicant-results", args=[application.pk]))
    assert page.status_code == 200
    scores = [q for q in captured.captured_queries if '"evaluation_score"' in q["sql"]]
    text = re.sub(
        r'(name="csrf-token" content|name="csrfmiddlewaretoken" value)="[^"]+"',
        "",
        page.content.decode(),
    )
    return text, len(scores)


def test_the_report_is_read_from_the_cache_until_the_results_change(
    client, staff, django_capture_on_commit_callbacks
):
    decided = decided_call()
    with django_capture_on_commit_callbacks(execute=True):
        publish_results(call=decided.call, actor=staff)
    member = UserFactory()
    MembershipFactory(user=member, organisation=decided.selected.lead_organisation)
    client.force_login(member)

    first, read_first = _visit(client, decided.selected)
    again, read_again = _visit(client, decided.selected)

    assert "Selected for funding" in first and "top 50% · within the budget" in first
    assert read_first > 0
    assert (again, read_again) == (first, 0)

    with django_capture_on_commit_callbacks(execute=True):
        results_changed(decided.call.pk)
    after, read_after = _visit(client, decided.selected)
    assert read_after > 0
    assert after == first
