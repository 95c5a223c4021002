"""The staff lists of the evaluation area read their query strings with forms: the eligibility
list searches the titles and acronyms as submitted (after the deadline an unsubmitted edit
neither finds an application nor hides it); unknown filter values are ignored, never a 500."""

import pytest
from django.urls import reverse

from tests.evaluation.test_submitted_record import submitted_then_edited

pytestmark = pytest.mark.django_db


def test_the_eligibility_list_searches_the_submitted_title_and_acronym(staff_client):
    application, _file = submitted_then_edited()
    url = reverse("evaluation:eligibility", args=[application.call.slug])

    def found(**params) -> list[int]:
        return [a.pk for a in staff_client.get(url, params).context["page"].object_list]

    assert found(q="ore sorting") == [application.pk]
    assert found(q="SENSORT") == [application.pk]
    assert found(q="typed after the submission") == []
    assert found(q="LATER") == []
    assert found(decision="bogus") == [application.pk]
    assert found(decision="eligible") == []


def test_unknown_or_oversized_filters_are_ignored(staff_client):
    evaluators = staff_client.get(reverse("evaluation:evaluator-pool"), {"q": "x" * 101})
    complaints = staff_client.get(
        reverse("evaluation:complaints"), {"call": "no-such-call", "state": "bogus"}
    )

    assert evaluators.status_code == 200
    assert evaluators.context["search"] == ""
    assert complaints.status_code == 200
    assert (complaints.context["call"], complaints.context["state"]) == (None, "")
