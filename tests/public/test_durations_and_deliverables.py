"""A project's duration (voucher signature to last deliverable due date) and its deliverables
that staff marked public (accepted ones only, served by a checked public view)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from minegap.ledger.models import AuditEntry
from public.cache import data_version
from tests.calls.factories import PDF_BYTES
from tests.factories import UserFactory
from tests.public.factories import imported_award, project, results_call, sme
from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import active_voucher, selected_application, staff_user
from vouchers import services
from vouchers.models import DeliverableState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff():
    return staff_user(full_name="Stella Staffperson", email="stella.staff@example.eu")


@pytest.fixture
def funded(staff):
    """A project funded in MineGap: its voucher is active; the final deliverable is due a year
    after drafting."""
    consortium = selected_application(awarded=True)
    voucher = active_voucher(consortium, staff)
    return consortium, voucher, voucher.deliverables.get(is_final=True)


def accept(deliverable, consortium, staff, name="report.pdf"):
    services.submit_deliverable(
        deliverable=deliverable,
        upload=SimpleUploadedFile(name, PDF_BYTES),
        actor=consortium.admins[0],
    )
    services.review_deliverable(deliverable=deliverable, actor=staff, accept=True)
    deliverable.refresh_from_db()
    return deliverable


def project_page(client, consortium) -> str:
    response = client.get(reverse("public:project-detail", args=[consortium.application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_duration_runs_from_signature_to_the_last_deliverable(client, funded, staff):
    consortium, voucher, final = funded
    text = project_page(client, consortium)
    assert '<dd data-figure="duration">12 months</dd>' in text
    signed = timezone.localdate(voucher.signed_at)  # the programme's date (Brussels), not UTC
    assert f"<dd>{signed.day} {signed:%B %Y}</dd>" in text

    services.reschedule_deliverable(
        deliverable=final,
        due_date=final.due_date + timedelta(days=61),
        actor=staff,
        reason="Field tests moved to spring.",
    )

    assert '<dd data-figure="duration">14 months</dd>' in project_page(client, consortium)
    rows = client.get("/api/v1/public/beneficiaries/").json()["results"]
    assert {row["duration_months"] for row in rows} == {14}  # the cache was replaced
    body = client.get("/api/v1/public/projects/").json()["results"][0]
    assert (body["start_date"], body["end_date"], body["duration_months"]) == (
        timezone.localdate(voucher.signed_at).isoformat(),
        (final.due_date + timedelta(days=61)).isoformat(),
        14,
    )


def test_without_a_voucher_the_planned_duration_is_marked_planned(client):
    selected = project(results_call(), [(sme(), "10.00")], state="selected")
    imported = project(results_call(), [(sme(), "10.00")], acronym="IMPORTED")
    imported_award(imported, "2020-11-16")

    text = client.get(reverse("public:project-detail", args=[selected.pk])).content.decode()
    assert '<dd data-figure="duration">12 months (planned)</dd>' in text
    text = client.get(reverse("public:project-detail", args=[imported.pk])).content.decode()
    assert '<dd data-figure="duration">—</dd>' in text  # a call run elsewhere recorded none
    beneficiaries = client.get(reverse("public:beneficiaries")).content.decode()
    assert beneficiaries.count("12 months (planned)") == 1


def test_only_accepted_deliverables_marked_public_are_listed_and_served(client, funded, staff):
    consortium, _voucher, final = funded
    services.set_deliverable_public(deliverable=final, public=True, actor=staff)
    text = project_page(client, consortium)
    assert "No deliverable of this project is public yet" in text  # public, not yet accepted

    final = accept(final, consortium, staff, name="aino-virtanen-notes.pdf")
    version = final.versions.get()
    url = reverse("public:deliverable-file", args=[consortium.application.pk, version.pk])
    text = project_page(client, consortium)
    assert f'href="{url}"' in text
    assert version.sha256 in text
    assert "aino-virtanen" not in text  # the uploaded file's name is not published

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="final-report.pdf"'

    services.set_deliverable_public(deliverable=final, public=False, actor=staff)
    assert client.get(url).status_code == 404
    assert f'href="{url}"' not in project_page(client, consortium)


def test_a_deliverable_file_is_served_only_through_its_own_funded_project(client, funded, staff):
    consortium, _voucher, final = funded
    final = accept(final, consortium, staff)
    services.set_deliverable_public(deliverable=final, public=True, actor=staff)
    version = final.versions.get()
    other = project(results_call(), [(sme(), "1.00")])

    assert (
        client.get(reverse("public:deliverable-file", args=[other.pk, version.pk])).status_code
        == 404
    )
    consortium.application.state = "rejected"  # no longer a public funded project
    consortium.application.save()
    assert (
        client.get(
            reverse("public:deliverable-file", args=[consortium.application.pk, version.pk])
        ).status_code
        == 404
    )


def test_a_public_deliverable_whose_file_is_missing_is_404_not_500(client, funded, staff):
    consortium, _voucher, final = funded
    final = accept(final, consortium, staff)
    services.set_deliverable_public(deliverable=final, public=True, actor=staff)
    version = final.versions.get()
    version.file.storage.delete(version.file.name)  # lost from storage (restore, migration)

    response = client.get(
        reverse("public:deliverable-file", args=[consortium.application.pk, version.pk])
    )

    assert response.status_code == 404


def test_marking_public_is_staff_only_ledgered_and_replaces_the_cache(funded, staff):
    consortium, _voucher, final = funded
    before = data_version()
    with pytest.raises(PermissionDenied):
        services.set_deliverable_public(deliverable=final, public=True, actor=consortium.admins[0])

    services.set_deliverable_public(deliverable=final, public=True, actor=staff)
    services.set_deliverable_public(deliverable=final, public=True, actor=staff)  # no change

    final.refresh_from_db()
    assert final.public is True
    assert data_version() != before
    assert AuditEntry.objects.filter(action="vouchers.deliverable.published").count() == 1


def test_staff_toggle_on_the_voucher_page(client, funded, staff):
    _consortium, voucher, final = funded
    staff_client = signed_in(client, staff)
    page = staff_client.get(reverse("vouchers:manage-voucher", args=[voucher.pk]))
    assert "Show on the public site" in page.content.decode()

    url = reverse("vouchers:manage-action-on", args=[voucher.pk, "public", final.pk])
    assert staff_client.post(url, {"public": "on"}).status_code == 302
    final.refresh_from_db()
    assert final.public is True
    assert (
        "Withdraw from the public site"
        in staff_client.get(reverse("vouchers:manage-voucher", args=[voucher.pk])).content.decode()
    )

    assert staff_client.post(url, {}).status_code == 302
    final.refresh_from_db()
    assert final.public is False


def test_no_personal_data_on_the_project_page_with_deliverables(client, funded, staff):
    consortium, _voucher, final = funded
    final = accept(final, consortium, staff)
    services.set_deliverable_public(deliverable=final, public=True, actor=staff)
    people = [staff, *consortium.admins, UserFactory()]
    urls = [
        reverse("public:project-detail", args=[consortium.application.pk]),
        reverse("public:beneficiaries"),
        "/api/v1/public/projects/",
        "/api/v1/public/beneficiaries/?format=csv",
    ]

    for url in urls:
        text = client.get(url).content.decode()
        assert consortium.application.acronym in text
        for person in people:
            assert (person.full_name in text, person.email in text) == (False, False), url
    assert final.state == DeliverableState.ACCEPTED
    assert final.accepted_at <= timezone.now()
