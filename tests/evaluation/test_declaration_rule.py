"""One rule for "an evaluator who accepted the declaration": the predicate the pages, the API
and the services ask, and its query form for the pool and the staff's choices."""

import pytest
from django.urls import reverse

from accounts import roles
from evaluation.rules import is_active_evaluator
from evaluation.selectors_assignment import active_evaluators
from tests.auth import in_verified_session, sign_in
from tests.evaluation.factories import evaluator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_query_and_the_predicate_name_the_same_people():
    accepted = evaluator()
    pending = evaluator(declared=False)
    left_the_pool = evaluator()
    left_the_pool.groups.clear()
    stranger = UserFactory()
    people = [accepted, pending, left_the_pool, stranger]
    assert [is_active_evaluator(p) for p in people] == [True, False, False, False]
    assert list(active_evaluators()) == [accepted]


def test_the_api_and_the_pages_refuse_an_evaluator_before_the_declaration(client):
    pending = evaluator(declared=False)
    sign_in(client, pending)
    assert client.get(reverse("evaluation:evaluator-home")).url == reverse("evaluation:declaration")
    assert client.get(reverse("api-evaluator-assignments")).status_code == 403
    assert in_verified_session(pending).has_perm("evaluation.evaluate") is True
    assert pending.has_perm("evaluation.evaluate_proposals") is False
    assert UserFactory(roles=[roles.EVALUATOR]).has_perm("evaluation.evaluate_proposals") is False
