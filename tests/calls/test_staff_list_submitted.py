"""The staff applications list, its CSV export and its API show each application as last
submitted (title, acronym, consortium, voucher type, budget), searched and sorted by its
submitted texts: edits made after the submission, never submitted, do not show after the
deadline."""

import csv
import io
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Organisation
from tests.auth import sign_in
from tests.calls.factories import ApplicationFactory, MemberFactory
from tests.evaluation.factories import closed_call, submitted_application
from tests.evaluation.test_submitted_record import submitted_then_edited
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    user = UserFactory(roles=["consortium-staff"])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def test_the_staff_page_shows_the_submitted_version(client, staff):
    application, _file = submitted_then_edited()
    sign_in(client, staff)
    url = reverse("calls:manage-applications", args=[application.call.slug])

    response = client.get(url)
    page = response.content.decode()
    (row,) = response.context["rows"]

    assert row.voucher_type == "Demonstration"
    assert "SENSORT" in page
    assert "Sensor-driven ore sorting" in page
    assert "€50,000.00" in page  # 30,000 + 20,000 as submitted (the lead asks 45,000 since)
    assert "LATER" not in page
    assert "typed after the submission" not in page
    assert "€65,000.00" not in page


def test_the_staff_search_and_title_sort_read_the_submitted_texts(client, staff):
    application, _file = submitted_then_edited()
    # A draft of the same call, named between the submitted title and the later one.
    ApplicationFactory(call=application.call, title="Mine tailings reuse", acronym="TAILS")
    sign_in(client, staff)
    url = reverse("calls:manage-applications", args=[application.call.slug])

    def acronyms(**params) -> list[str]:
        return [row.acronym for row in client.get(url, params).context["rows"]]

    assert acronyms(q="ore sorting") == ["SENSORT"]
    assert acronyms(q="typed after") == []
    assert acronyms(q="LATER") == []
    # "A title typed after..." would sort first; "Sensor-driven..." sorts after "Mine...".
    assert acronyms(sort="title") == ["TAILS", "SENSORT"]


def test_the_requested_sort_reads_the_submitted_sum(client, staff):
    application, _file = submitted_then_edited()  # 50,000 as submitted, 65,000 typed since
    draft = ApplicationFactory(call=application.call, title="Mine tailings reuse", acronym="TAILS")
    MemberFactory(application=draft, requested_amount=Decimal("60000.00"))
    sign_in(client, staff)
    url = reverse("calls:manage-applications", args=[application.call.slug])

    def acronyms(sort: str) -> list[str]:
        return [row.acronym for row in client.get(url, {"sort": sort}).context["rows"]]

    assert acronyms("requested") == ["SENSORT", "TAILS"]
    assert acronyms("-requested") == ["TAILS", "SENSORT"]


def test_a_submission_stores_the_sum_its_consortium_requested():
    application, _file = submitted_then_edited()

    assert [v.requested_total for v in application.versions.order_by("number")] == [
        Decimal("50000.00")
    ]


def test_the_csv_export_has_the_submitted_version(client, staff):
    application, _file = submitted_then_edited()
    sign_in(client, staff)
    url = reverse("calls:manage-applications", args=[application.call.slug])

    response = client.get(url, {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body)))

    assert dict(zip(header, row, strict=True)) | {"Members": ""} == {
        "Reference": application.reference,
        "State": "Submitted",
        "Acronym": "SENSORT",
        "Title": "Sensor-driven ore sorting",
        "Lead organisation": application.lead_organisation.legal_name,
        "Countries": "FI PT",
        "Voucher type": "Demonstration",
        "Members": "",
        "Requested (EUR)": "50000.00",
        "Submitted at (UTC)": row[9],
    }


def test_the_staff_api_has_the_submitted_version(staff):
    application, _file = submitted_then_edited()
    api = sign_in(APIClient(), staff)

    response = api.get(f"/api/v1/manage/calls/{application.call.slug}/applications/")
    (result,) = response.json()["results"]

    assert response.status_code == 200
    assert {
        key: result[key]
        for key in ("acronym", "title", "countries", "voucher_type", "requested_total", "state")
    } == {
        "acronym": "SENSORT",
        "title": "Sensor-driven ore sorting",
        "countries": ["FI", "PT"],
        "voucher_type": "Demonstration",
        "requested_total": "50000.00",
        "state": "submitted",
    }
    assert result["id"] == application.pk
    assert result["lead_organisation"] == application.lead_organisation.legal_name


def test_the_records_of_a_page_take_the_same_queries_whatever_its_length(client, staff):
    call = closed_call()
    submitted_application(call)
    sign_in(client, staff)
    url = reverse("calls:manage-applications", args=[call.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        submitted_application(call)

    with CaptureQueriesContext(connection) as four:
        response = client.get(url)

    assert len(response.context["rows"]) == 4
    assert len(four) == len(one)


def test_the_country_filter_reads_the_submitted_consortium(client, staff):
    """The partner was in Portugal when the application was submitted; its organisation says
    Sweden since. The list (and its API) find the application by the submitted country."""
    application, _file = submitted_then_edited()
    partner = application.members.get(is_lead=False).organisation
    Organisation.objects.filter(pk=partner.pk).update(country="SE")
    # A draft of the same call with a Swedish member: found by its live consortium.
    draft = ApplicationFactory(call=application.call, title="Mine tailings reuse", acronym="TAILS")
    MemberFactory(application=draft, organisation=partner, is_lead=True)
    sign_in(client, staff)
    url = reverse("calls:manage-applications", args=[application.call.slug])
    api = sign_in(APIClient(), staff)
    api_url = f"/api/v1/manage/calls/{application.call.slug}/applications/"

    def acronyms(country: str) -> list[str]:
        return [row.acronym for row in client.get(url, {"country": country}).context["rows"]]

    assert acronyms("PT") == ["SENSORT"]
    assert acronyms("SE") == ["TAILS"]
    assert [r["acronym"] for r in api.get(api_url, {"country": "PT"}).json()["results"]] == [
        "SENSORT"
    ]
