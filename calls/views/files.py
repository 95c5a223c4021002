"""Private files, served only to those allowed to see them, always as downloads."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from calls.access import check_application_access
from calls.downloads import file_download
from calls.models import (
    Application,
    ApplicationVersion,
    Attachment,
    CallDocument,
    CallState,
    FileKind,
)


def _application_or_404(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(Application.objects.select_related("call"), pk=pk)
    check_application_access(request.user, application)
    return application


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    application = _application_or_404(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, application=application)
    return file_download(attachment.file, name=attachment.original_name, kind=attachment.kind)


@require_GET
@login_required
def receipt_download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    application = _application_or_404(request, pk)
    version = get_object_or_404(ApplicationVersion, application=application, number=number)
    if not version.receipt:
        raise Http404
    return file_download(
        version.receipt, name=f"{application.reference}-v{number}-receipt", kind=FileKind.PDF
    )


@require_GET
def document_download(request: HttpRequest, slug: str, document_id: int) -> FileResponse:
    """A call's public documents: anyone may download them once the call is published."""
    document = get_object_or_404(CallDocument.objects.select_related("call"), pk=document_id)
    if document.call.slug != slug or document.call.state == CallState.DRAFT:
        raise Http404
    return file_download(document.file, name=document.title, kind=document.kind)
