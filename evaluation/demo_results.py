"""Demo results (idempotent): once the committee's decision on MINE.THE.GAP call 1 is adopted
(the call is "decided"), publish its results, generate and e-mail the Evaluation Summary
Reports, and file one complaint, from the consortium that was not selected. Before the decision,
or on a second run, it changes nothing."""

from django.utils import timezone

from accounts.models import User
from calls.models import ApplicationState, Call, CallState
from calls.receipts import consortium_admins
from evaluation import esr
from evaluation.models import Complaint, ResultsPublication
from evaluation.services.publication import publish_results
from evaluation.services.redress import file_complaint

STAFF_EMAIL = "staff@minegap.eu"
COMPLAINT_GROUNDS = (
    "Our proposal was scored on the Impact criterion against a market-size figure that the call "
    "text does not ask for. We ask that the evaluation of this criterion be checked against the "
    "criteria published with the call."
)


def seed(stdout, *, call_slug: str = "mine-the-gap-open-call-1") -> None:
    call = Call.objects.filter(slug=call_slug).first()
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    if call is None or staff is None:
        stdout.write("evaluation results: the demo call or staff is missing, skipped.")
        return
    published = ResultsPublication.objects.filter(call=call).exists()
    if not published and call.state != CallState.DECIDED:
        stdout.write("evaluation results: the demo call is not decided yet, skipped.")
        return
    if not published:
        publish_results(call=call, actor=staff)
    # In-process here (Celery runs eagerly without Redis); the task queued on commit then finds
    # every report sent and does nothing.
    sent = esr.generate_summary_reports(call_id=call.pk)
    complaint = _complaint(call)
    stdout.write(
        f"evaluation results: published, {sent} summary reports sent now"
        + (f", complaint #{complaint.pk} filed." if complaint else ".")
    )


def _complaint(call: Call) -> Complaint | None:
    if Complaint.objects.filter(application__call=call).exists():
        return None
    application = (
        call.applications.filter(
            state__in=[ApplicationState.REJECTED, ApplicationState.RESERVE],
        )
        .order_by("state", "reference")
        .first()
    )
    if application is None:
        return None
    admin = min(consortium_admins(application), key=lambda user: user.pk, default=None)
    if admin is None:
        return None
    return file_complaint(
        application=application, actor=admin, grounds=COMPLAINT_GROUNDS, now=timezone.now()
    )
