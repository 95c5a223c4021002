"""An event's uploaded materials, served like its links: to anyone once the event has ended
(staff at any time), always as a download typed by the file's detected content."""

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from calls.downloads import file_download
from events import selectors
from events.models import EventMaterial


@require_GET
def material_download(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    material = get_object_or_404(
        EventMaterial.objects.select_related("event"), pk=material_pk, event_id=pk
    )
    if not material.is_file:
        raise Http404
    if not request.user.has_perm("events.manage_events") and not selectors.material_is_public(
        material
    ):
        raise Http404
    return file_download(material.file, name=material.title, kind=material.kind)
