import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calls import files, services
from tests.calls.factories import PDF_BYTES, complete_application

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
EXE = b"MZ\x90\x00\x03" + b"\x00" * 60


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def ooxml(main_type: str, main_part: str | None, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{main_part}" ContentType="{main_type}"/></Types>',
        )
        if main_part:
            archive.writestr(main_part, "<document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = ooxml(DOCX_MAIN, "word/document.xml")
XLSX = ooxml(XLSX_MAIN, "xl/workbook.xml")


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


def test_detect_kind_by_content():
    assert [
        files.detect_kind(io.BytesIO(content))
        for content in (PDF_BYTES, PNG, JPEG, DOCX, XLSX, EXE, plain_zip(), b"")
    ] == ["pdf", "png", "jpeg", "docx", "xlsx", None, None, None]


@pytest.mark.django_db
def test_renamed_executable_is_refused():
    application, admin = complete_application()
    requirement = application.call.attachment_requirements.get()
    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            application=application,
            requirement=requirement,
            upload=SimpleUploadedFile("plan.pdf", EXE, content_type="application/pdf"),
            actor=admin,
        )
    assert error.value.messages == [
        "This file's content is not an allowed type (pdf, docx), whatever its name says."
    ]
    assert application.attachments.count() == 1


@pytest.mark.django_db
def test_png_not_in_allowed_types_is_refused():
    application, admin = complete_application()
    requirement = application.call.attachment_requirements.get()
    with pytest.raises(ValidationError):
        services.add_attachment(
            application=application,
            requirement=requirement,
            upload=SimpleUploadedFile("plan.pdf", PNG),
            actor=admin,
        )


@pytest.mark.django_db
def test_size_limit():
    application, admin = complete_application()
    requirement = application.call.attachment_requirements.get()
    big = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            application=application,
            requirement=requirement,
            upload=SimpleUploadedFile("plan.pdf", big),
            actor=admin,
        )
    assert error.value.messages == ["The file is larger than 1 MB."]


@pytest.mark.django_db
def test_docx_is_stored_privately_with_hash_and_random_name():
    application, admin = complete_application()
    requirement = application.call.attachment_requirements.get()
    attachment = services.add_attachment(
        application=application,
        requirement=requirement,
        upload=SimpleUploadedFile("My Plan.docx", DOCX),
        actor=admin,
    )
    assert attachment.kind == "docx"
    assert attachment.sha256 == hashlib.sha256(DOCX).hexdigest()
    assert attachment.original_name == "My Plan.docx"
    assert attachment.file.name.startswith("private/calls/attachments/")
    assert attachment.file.name.endswith(".docx")
    assert "Plan" not in attachment.file.name
    # the previous upload for the same requirement is kept, marked removed
    assert application.attachments.filter(removed_at__isnull=True).get() == attachment
    assert application.attachments.count() == 2


def test_a_zip_that_only_names_an_ooxml_type_is_not_a_docx_or_xlsx():
    """[Content_Types].xml alone proves nothing: the main part must be there."""
    assert [
        files.detect_kind(io.BytesIO(content))
        for content in (
            ooxml(DOCX_MAIN, None),
            ooxml(XLSX_MAIN, None),
            ooxml(DOCX_MAIN, "xl/workbook.xml"),
            ooxml(XLSX_MAIN, "word/document.xml"),
        )
    ] == [None, None, None, None]


ZIP_BOMB = ooxml(DOCX_MAIN, "word/document.xml", {"word/media/filler.bin": bytes(30 * 1024 * 1024)})


def test_a_document_that_would_inflate_a_hundredfold_is_refused_with_its_reason():
    with pytest.raises(ValidationError) as error:
        files.detect_kind(io.BytesIO(ZIP_BOMB))

    assert len(ZIP_BOMB) < 100 * 1024  # 30 MB of zeros, deflated
    assert error.value.messages == [
        "This document unpacks to 30 MB, more than a DOCX or XLSX file may (250 MB, 100 times "
        "its size). Save it again from your office program, or upload it as PDF."
    ]


@pytest.mark.django_db
def test_the_applicant_sees_why_a_zip_bomb_is_refused(client):
    application, admin = complete_application()
    requirement = application.call.attachment_requirements.get()
    client.force_login(admin)

    response = client.post(
        reverse("calls:apply-step", kwargs={"pk": application.pk, "step": "attachments"}),
        {
            "requirement": requirement.pk,
            f"req{requirement.pk}-file": SimpleUploadedFile("plan.docx", ZIP_BOMB),
        },
        follow=True,
    )

    assert "This document unpacks to 30 MB" in response.content.decode()
    assert application.attachments.count() == 1  # the earlier plan.pdf only
