"""A deliverable uploaded as `run-me.bat` with a PDF's content downloads as `run-me.pdf`, typed
application/pdf, for the beneficiary and for staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.calls.factories import PDF_BYTES
from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import active_voucher, selected_application

pytestmark = pytest.mark.django_db


def served(response) -> tuple[str, str]:
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    return response["Content-Disposition"], response["Content-Type"]


def test_a_deliverable_uploaded_as_a_bat_file_downloads_as_a_pdf(client, staff):
    consortium = selected_application()
    voucher = active_voucher(consortium, staff)
    final = voucher.deliverables.get(is_final=True)
    admin = signed_in(client, consortium.admins[1])
    upload = admin.post(
        reverse("vouchers:upload", args=[voucher.pk, final.pk]),
        {"file": SimpleUploadedFile("run-me.bat", PDF_BYTES)},
    )
    assert upload.status_code == 302
    version = final.versions.get()

    by_beneficiary = served(admin.get(reverse("vouchers:file", args=[voucher.pk, version.pk])))
    signed_in(client, staff)
    by_staff = served(client.get(reverse("vouchers:manage-file", args=[voucher.pk, version.pk])))

    assert version.original_name == "run-me.bat"
    assert by_beneficiary == by_staff == ('attachment; filename="run-me.pdf"', "application/pdf")
