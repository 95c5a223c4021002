"""The applicant's results: the outcome, scores and comments, the Evaluation Summary Report (PDF)
and the complaints filed. Members of the consortium's confirmed organisations and staff only;
everyone else (other applicants, evaluators) gets a 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from calls.models import Application
from evaluation import selectors_results as selectors
from evaluation.esr import application_report, closing_date, report_filename
from evaluation.models import ResultsPublication


def results_or_404(request: HttpRequest, pk: int) -> tuple[Application, ResultsPublication]:
    """The application and its call's publication, if the user may read its results."""
    application = get_object_or_404(Application.objects.select_related("call"), pk=pk)
    return application, selectors.check_results_access(request.user, application)


@require_GET
@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    application, publication = results_or_404(request, pk)
    report = application_report(application)
    complaints = list(selectors.complaints_of(application))
    return render(
        request,
        "evaluation/applicant/results.html",
        {
            "application": application,
            "call": application.call,
            "publication": publication,
            "report": report,
            "summary_report": selectors.summary_report_of(application),
            "complaints": complaints,
            "closes_on": closing_date(publication),
            "window_open": selectors.window_open(publication, timezone.now()),
            "may_complain": selectors.is_consortium_admin(request.user, application),
            "has_open_complaint": any(c.decided_at is None for c in complaints),
        },
    )


@require_GET
@login_required
def summary_report_download(request: HttpRequest, pk: int) -> FileResponse:
    application, _publication = results_or_404(request, pk)
    summary_report = selectors.summary_report_of(application)
    if summary_report is None or not summary_report.pdf:
        raise Http404
    try:
        handle = summary_report.pdf.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=report_filename(application))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
