"""Every download is named with the extension of the type detected from its content and typed
as that type, whatever name the uploader gave it: a PDF uploaded as `run-me.bat` reaches staff,
evaluators and the consortium as `run-me.pdf`, `application/pdf`."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calls import services
from calls.downloads import download_name
from calls.models import Attachment
from tests.auth import sign_in
from tests.calls.factories import PDF_BYTES, complete_application
from tests.evaluation.conftest import with_mfa
from tests.evaluation.factories import accepted_assignment, closed_call, evaluator, freeze
from tests.evaluation.factories import submitted_application as built_submitted_application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RUN_ME = ('attachment; filename="run-me.pdf"', "application/pdf")


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("run-me.bat", "pdf", "run-me.pdf"),
        ("budget v1.2.xlsx", "xlsx", "budget v1.2.xlsx"),
        ("photo.JPG", "jpeg", "photo.jpeg"),
        ("no-extension", "png", "no-extension.png"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("C:\\Users\\me\\plan.exe", "docx", "plan.docx"),
        (".bat", "pdf", "bat.pdf"),
        ('say "hi"\r\n.bat', "pdf", "say -hi.pdf"),
        ("old.doc", "doc", "old.bin"),
    ],
)
def test_download_name_keeps_the_stem_and_takes_the_detected_extension(name, kind, expected):
    assert download_name(name, kind) == expected


def served(response) -> tuple[str, str]:
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    return response["Content-Disposition"], response["Content-Type"]


def test_an_application_attachment_uploaded_as_a_bat_file_downloads_as_a_pdf(client):
    application, lead_admin = complete_application()
    requirement = application.attachments.get().requirement
    services.add_attachment(
        application=application,
        requirement=requirement,
        upload=SimpleUploadedFile("run-me.bat", PDF_BYTES),
        actor=lead_admin,
    )
    attachment = application.attachments.get(removed_at__isnull=True)
    url = reverse("calls:attachment", kwargs={"pk": application.pk, "attachment_id": attachment.pk})
    staff = with_mfa(UserFactory(roles=["consortium-staff"]))

    client.force_login(lead_admin)
    by_applicant = served(client.get(url))
    sign_in(client, staff)
    by_staff = served(client.get(url))

    assert attachment.original_name == "run-me.bat"
    assert by_applicant == by_staff == RUN_ME


def test_an_evaluator_downloads_the_attachment_under_its_detected_type(client):
    call = closed_call(blind_evaluation=False)
    application = built_submitted_application(call)
    attachment = Attachment.objects.create(
        application=application,
        requirement=call.attachment_requirements.first(),
        file=SimpleUploadedFile("upload", PDF_BYTES),
        original_name="run-me.bat",
        kind="pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
    )
    freeze(application)  # the file is part of the submitted version the evaluator reads
    user = evaluator()
    assignment = accepted_assignment(application, user)
    sign_in(client, user)

    response = client.get(
        reverse("evaluation:assignment-file", args=[assignment.pk, attachment.pk])
    )

    assert served(response) == RUN_ME
