"""Voucher pages, exports, API and e-mails name the project as submitted: an edit of the
application's texts made after its last submission (never submitted) never shows."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from calls.models import Application, ApplicationVersion
from calls.services.applications import snapshot_of
from minegap.notifications.models import Notification
from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import selected_application
from vouchers import exports, services

pytestmark = pytest.mark.django_db


def submitted_then_renamed():
    """A selected application submitted as ORESORT "Ore sorting by sensors", whose live texts
    were changed afterwards without submitting again."""
    consortium = selected_application()
    application = consortium.application
    Application.objects.filter(pk=application.pk).update(
        acronym="ORESORT", title="Ore sorting by sensors"
    )
    application.refresh_from_db()
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        submitted_at=timezone.now(),
        snapshot=snapshot_of(application),
    )
    Application.objects.filter(pk=application.pk).update(
        acronym="LATER", title="A title typed after the submission"
    )
    return consortium


def test_beneficiary_pages_name_the_project_as_submitted(client, staff):
    consortium = submitted_then_renamed()
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    me = signed_in(client, consortium.admins[0])

    pages = [
        me.get(reverse("vouchers:my-vouchers")).content.decode(),
        me.get(reverse("vouchers:my-voucher", args=[voucher.pk])).content.decode(),
    ]
    # The dashboard's vouchers panel (the applications panel shows its authors their draft).
    dashboard = me.get(reverse("dashboard")).content.decode()

    for page in pages:
        assert "ORESORT" in page
        assert "LATER" not in page
    assert f"{voucher.agreement_number}</a> · ORESORT" in dashboard


def test_staff_pages_export_and_api_name_the_project_as_submitted(client, staff):
    consortium = submitted_then_renamed()
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    signed_in(client, staff)
    call_page = client.get(reverse("vouchers:manage-call", args=[voucher.call.slug]))
    voucher_page = client.get(reverse("vouchers:manage-voucher", args=[voucher.pk]))
    staff_api = signed_in(APIClient(), staff)
    beneficiary_api = signed_in(APIClient(), consortium.admins[0])

    staff_list = staff_api.get("/api/v1/manage/vouchers/").json()["results"]
    staff_detail = staff_api.get(f"/api/v1/manage/vouchers/{voucher.pk}/").json()
    own_list = beneficiary_api.get("/api/v1/vouchers/").json()["results"]
    export_rows = list(exports._voucher_rows(voucher.call))

    for page in (call_page, voucher_page):
        assert "ORESORT" in page.content.decode()
        assert "LATER" not in page.content.decode()
    assert [row["project"] for row in staff_list] == ["ORESORT"]
    assert staff_detail["project"] == "ORESORT"
    assert [row["project"] for row in own_list] == ["ORESORT"]
    assert export_rows[0][3] == "ORESORT"


def test_staff_search_finds_the_submitted_title_not_the_later_one(client, staff):
    consortium = submitted_then_renamed()
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    signed_in(client, staff)
    url = reverse("vouchers:manage-call", args=[voucher.call.slug])

    found = client.get(url, {"q": "sorting by sensors"}).context["page_obj"].object_list
    not_found = client.get(url, {"q": "typed after"}).context["page_obj"].object_list

    assert [v.pk for v in found] == [voucher.pk]
    assert list(not_found) == []


def test_the_beneficiaries_email_names_the_project_as_submitted(staff):
    consortium = submitted_then_renamed()
    services.draft_voucher(application=consortium.application, actor=staff)

    projects = [m.context["project"] for m in Notification.objects.all()]

    assert projects == ["ORESORT", "ORESORT"]
