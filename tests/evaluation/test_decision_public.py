"""The public decisions page: each adopted decision's call, date, hash and ledger entry, no
personal data; the canonical document downloads once the results are published and hashes to
the published value."""

import hashlib

import pytest
from django.urls import reverse

from calls.models import Call, CallState
from evaluation.selectors_decision import public_decisions
from tests.evaluation.decision_factories import adopt, ready_call

pytestmark = pytest.mark.django_db


def test_page_lists_adopted_decisions_without_personal_data(client, staff):
    ready = ready_call()
    session = adopt(ready, staff)
    failed = ready_call(members=0)
    failed.committee = ready.committee
    adopt(failed, staff, votes=("against", "against"))
    page = client.get(reverse("public:decisions")).content.decode()
    assert session.content_hash in page
    assert f"<td>{session.ledger_seq}</td>" in page
    assert ready.call.title in page
    assert failed.call.title not in page  # not adopted: nothing to publish
    for person in [*ready.committee, staff]:
        assert person.email not in page and person.full_name not in page
    assert "once the results are published" in page
    assert "sha256sum" in page and "verify_ledger" in page
    assert [d.content_hash for d in public_decisions()] == [session.content_hash]


def test_document_downloads_once_results_are_published_and_matches_the_hash(client, staff):
    ready = ready_call()
    session = adopt(ready, staff)
    url = reverse("public:decision-document", args=[ready.call.slug])
    assert client.get(url).status_code == 404  # decided, results not published yet
    Call.objects.filter(pk=ready.call.pk).update(state=CallState.RESULTS_PUBLISHED)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert hashlib.sha256(response.content).hexdigest() == session.content_hash
    page = client.get(reverse("public:decisions")).content.decode()
    assert url in page
    assert client.get(reverse("public:decision-document", args=["nope"])).status_code == 404


def test_empty_page(client):
    page = client.get(reverse("public:decisions")).content.decode()
    assert "No committee decision is published here yet" in page
