import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calls import services
from calls.models import CallState
from tests.calls.factories import PDF_BYTES, CallFactory, complete_application

pytestmark = pytest.mark.django_db


def test_public_list_hides_drafts_and_archived(client):
    CallFactory(title="Open one", slug="open-one")
    CallFactory(title="Secret draft", state=CallState.DRAFT)
    CallFactory(title="Old", state=CallState.ARCHIVED)
    response = client.get(reverse("calls:public-list"))
    assert [c.title for c in response.context["page"].object_list] == ["Open one"]


def test_public_detail_shows_rules_dates_in_call_zone(client):
    call = CallFactory(slug="mtg")
    response = client.get(reverse("calls:public-detail", args=["mtg"]))
    html = response.content.decode()
    local = call.closes_at.astimezone(call.tz)
    assert f"{local.day} {local:%B %Y, %H:%M} (Europe/Brussels)" in html
    assert "Proof of concept voucher: up to €25,000.00 per SME." in html
    assert response.context["countries"][:2] == ["Bulgaria", "Finland"]


def test_public_detail_of_draft_is_404(client):
    call = CallFactory(state=CallState.DRAFT)
    assert client.get(reverse("calls:public-detail", args=[call.slug])).status_code == 404


def test_api_lists_published_calls_without_auth(client):
    call = CallFactory(slug="mtg-2", code="MTG2")
    CallFactory(state=CallState.DRAFT)
    response = client.get("/api/v1/calls/")
    assert response.status_code == 200
    body = response.json()
    assert [c["slug"] for c in body["results"]] == ["mtg-2"]
    item = body["results"][0]
    assert (item["status"], item["time_zone"], item["cap_per_third_party"]) == (
        "open",
        "Europe/Brussels",
        "60000.00",
    )
    assert item["eligible_countries"] == call.eligible_countries
    assert [v["name"] for v in item["voucher_types"]] == ["Proof of concept", "Demonstration"]
    detail = client.get("/api/v1/calls/mtg-2/").json()
    assert detail["code"] == "MTG2"
    assert client.get("/api/v1/calls/nope/").status_code == 404


def test_schema_documents_calls_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})
    paths = response.json()["paths"]
    assert {"/api/v1/calls/", "/api/v1/calls/{slug}/"} <= set(paths)


def test_document_download_is_public_once_published(client, staff_client):
    call = CallFactory()
    services.add_call_document(
        call=call,
        actor=staff_client.user,
        title="Guide",
        upload=SimpleUploadedFile("g.pdf", PDF_BYTES),
        kind="pdf",
    )
    document = call.documents.get()
    client.logout()
    response = client.get(reverse("calls:document", args=[call.slug, document.pk]))
    assert (response.status_code, response["Content-Disposition"]) == (
        200,
        'attachment; filename="Guide.pdf"',
    )


def test_staff_application_list_filters_and_constant_queries(
    staff_client, django_assert_num_queries
):
    call = CallFactory(code="Q")
    first, admin = complete_application(call)
    services.submit_application(application=first, actor=admin)
    url = reverse("calls:manage-applications", args=[call.slug])
    staff_client.get(url)  # warm caches (session, permissions)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    one = count_queries()
    for _ in range(2):
        app, lead = complete_application(call)
        services.submit_application(application=app, actor=lead)
    staff_client.get(url)  # the tab bar's figures read again once after the submissions
    with django_assert_num_queries(one):
        response = staff_client.get(url)
    assert [row.application.reference for row in response.context["rows"]] == [
        "Q-0001",
        "Q-0002",
        "Q-0003",
    ]


def test_staff_application_list_search_state_country_voucher(staff_client):
    call = CallFactory(code="F")
    first, admin = complete_application(call, lead_country="SE")
    services.submit_application(application=first, actor=admin)
    second, _ = complete_application(call, lead_country="ES")
    url = reverse("calls:manage-applications", args=[call.slug])

    def refs(**params):
        response = staff_client.get(url, params)
        return [row.application.pk for row in response.context["rows"]]

    assert refs(state="submitted") == [first.pk]
    assert refs(state="draft") == [second.pk]
    assert refs(country="ES") == [second.pk]
    assert refs(q="F-0001") == [first.pk]
    assert refs(q=second.lead_organisation.legal_name) == [second.pk]
    demo = call.voucher_types.get(name="Demonstration").pk
    poc = call.voucher_types.get(name="Proof of concept").pk
    assert sorted(refs(voucher_type=demo)) == sorted([first.pk, second.pk])
    assert refs(voucher_type=poc) == []


def test_csv_export_is_filtered_and_injection_safe(staff_client):
    call = CallFactory(code="X")
    application, admin = complete_application(call)
    application.title = '=HYPERLINK("http://evil")'
    application.save()
    services.submit_application(application=application, actor=admin)
    other, _ = complete_application(call, lead_country="ES")
    url = reverse("calls:manage-applications", args=[call.slug])
    response = staff_client.get(url, {"state": "submitted", "format": "csv"})
    assert response["Content-Disposition"] == f'attachment; filename="{call.slug}-applications.csv"'
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("X-0001,Submitted,SENSORT,")
    assert "'=HYPERLINK" in lines[1]
    assert other.lead_organisation.legal_name not in "".join(lines)
