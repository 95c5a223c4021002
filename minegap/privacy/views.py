"""The "My data" page: ask for a copy of one's data, watch it being prepared, download it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from minegap.privacy import selectors, services
from minegap.privacy.models import DataExport, DataExportStatus
from minegap.privacy.preconditions import export_refusal


def _own_export(request: HttpRequest, pk: int) -> DataExport:
    export = selectors.export_of(request.user, pk)
    if export is None:
        raise Http404(_("No such export of your data."))
    return export


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """GET: the page. POST: ask for a new export (then back to the page, which shows it)."""
    if request.method == "POST":
        try:
            services.request_export(user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Your data is being prepared. This page shows when it is ready.")
            )
        return redirect("privacy:my-data")
    return render(
        request,
        "privacy/my_data.html",
        {
            "refusal": export_refusal(request.user),
            "exports": list(selectors.recent_exports_of(request.user)),
            "valid_days": settings.DATA_EXPORT_VALID_DAYS,
            "now": timezone.now(),
        },
    )


@never_cache
@login_required
@require_GET
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """One export's status, for the page's polling (htmx swaps it in place)."""
    export = _own_export(request, pk)
    return render(
        request,
        "privacy/_progress.html",
        {"export": export, "now": timezone.now(), "refusal": export_refusal(request.user)},
    )


@never_cache
@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file, to its owner only (anyone else: not found); 410 once the link has expired."""
    export = _own_export(request, pk)
    now = timezone.now()
    if export.status == DataExportStatus.EXPIRED or export.is_expired_at(now):
        return render(
            request,
            "privacy/export_expired.html",
            {"export": export, "refusal": export_refusal(request.user)},
            status=410,
        )
    if export.status != DataExportStatus.READY:
        raise Http404(_("This export is not ready yet."))
    try:
        handle = export.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("The file of this export is missing.")) from exc
    day = timezone.localtime(export.finished_at).date().isoformat()
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"minegap-my-data-{day}.json",
        content_type="application/json",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
