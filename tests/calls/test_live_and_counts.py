"""Live budget check, and list pages whose query count does not grow with their rows."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calls import services
from minegap.ledger.labels import action_label
from tests.calls.factories import CallFactory, complete_application

pytestmark = pytest.mark.django_db


def test_budget_check_shows_caps_for_typed_amount_without_saving(client):
    application, admin = complete_application()
    lead = application.members.get(is_lead=True)
    client.force_login(admin)
    url = reverse("calls:apply-budget-check", args=[application.pk])
    over = client.get(url, {"member": lead.pk, f"m{lead.pk}-requested_amount": "70000"})
    assert [p.message for p in over.context["problems"]] == [
        f"{lead.organisation} requests €70,000.00; a Demonstration voucher allows €50,000.00 per SME.",
        f"{lead.organisation} requests €70,000.00, above the cap per third party of €60,000.00.",
    ]
    fine = client.get(url, {"member": lead.pk, f"m{lead.pk}-requested_amount": "1000,50"})
    assert fine.context["problems"] == []
    garbage = client.get(url, {"member": lead.pk, f"m{lead.pk}-requested_amount": "abc"})
    assert garbage.context["problems"] == []
    lead.refresh_from_db()
    assert str(lead.requested_amount) == "30000.00"


def test_budget_check_is_404_for_outsiders(client):
    application, _admin = complete_application()
    other, _ = complete_application()
    client.force_login(other.lead_organisation.memberships.get().user)
    url = reverse("calls:apply-budget-check", args=[application.pk])
    assert client.get(url).status_code == 404


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_public_list_queries_do_not_grow(client):
    CallFactory()
    url = reverse("calls:public-list")
    client.get(url)
    cache.clear()  # the page cache would answer without a query: measure a page rendered afresh
    one = queries(client, url)
    CallFactory()
    CallFactory()
    cache.clear()
    assert queries(client, url) == one


def test_manage_list_queries_do_not_grow(staff_client):
    CallFactory()
    url = reverse("calls:manage-list")
    staff_client.get(url)
    one = queries(staff_client, url)
    CallFactory()
    CallFactory()
    assert queries(staff_client, url) == one


def test_dashboard_queries_do_not_grow(client):
    call = CallFactory()
    application, admin = complete_application(call)
    client.force_login(admin)
    url = reverse("calls:apply-dashboard")
    client.get(url)
    one = queries(client, url)
    for _ in range(2):
        extra = services.create_application(
            call=call, organisation=application.lead_organisation, actor=admin
        )
        assert extra.pk
    response = client.get(url)
    assert len(response.context["applications"]) == 3
    assert queries(client, url) == one


def test_ledger_labels_are_registered():
    assert action_label("calls.application.submitted") == "Application submitted"


def test_budget_check_reads_the_amount_as_the_budget_form_does(client):
    """The member and its typed amount are read by forms: an amount the save would refuse
    (negative, three decimals, not a number) is not checked; a member that is not a number is
    ignored, never a 500."""
    application, admin = complete_application()
    lead = application.members.get(is_lead=True)
    client.force_login(admin)
    url = reverse("calls:apply-budget-check", args=[application.pk])
    key = f"m{lead.pk}-requested_amount"

    over = client.get(url, {"member": lead.pk, key: "70000.00"})
    refused_by_the_form = [
        client.get(url, {"member": lead.pk, key: amount}).context["problems"]
        for amount in ("-5", "70000.005", "abc")
    ]
    no_member = client.get(url, {"member": "x", key: "70000"})

    assert len(over.context["problems"]) == 2
    assert refused_by_the_form == [[], [], []]
    assert no_member.status_code == 200
    assert no_member.context["problems"] == []
