"""Publishing a decided call's results to its applicants: the publication opens the redress
window and queues the Evaluation Summary Reports (rendered and e-mailed by Celery)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from calls.models import Application, Call, CallState
from calls.services import awards, call_transition
from evaluation import tasks
from evaluation.esr import OUTCOMES
from evaluation.models import ResultsPublication
from evaluation.services.common import require_staff
from minegap.ledger.services import record


def redress_closes_at(call: Call, published_at: datetime) -> datetime:
    """The last instant of the window's last day, in the call's time zone.

    The window is `call.redress_window_days` days from the publication, counted in days: the
    applicant is told a date ("until 23 December 2026"), so the whole of that day counts,
    wherever in the day the results went out.
    """
    last_day = published_at.astimezone(call.tz).date() + timedelta(days=call.redress_window_days)
    return datetime.combine(last_day, time.max, tzinfo=call.tz)


def publish_results(*, call: Call, actor: User) -> ResultsPublication:
    """Publish a decided call's results: record the publication and its redress window, move
    the call to "results published", and (after commit) generate and e-mail the reports."""
    require_staff(actor)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        existing = ResultsPublication.objects.filter(call=call).first()
        if existing is not None:
            raise ValidationError(
                _("The results of this call were already published on %(date)s.")
                % {"date": date_format(existing.published_at.astimezone(call.tz), "j F Y")}
            )
        if call.state != CallState.DECIDED:
            raise ValidationError(
                _(
                    "Results are published once the committee's decision is adopted; "
                    "the call is “%(state)s”."
                )
                % {"state": call.get_state_display()}
            )
        now = timezone.now()
        publication = ResultsPublication.objects.create(
            call=call,
            published_at=now,
            published_by=actor,
            redress_closes_at=redress_closes_at(call, now),
        )
        awards.record_results_published(call=call, published_at=now)
        call_transition(call=call, to_state=CallState.RESULTS_PUBLISHED, actor=actor)
        record(
            action="evaluation.results.published",
            target=call,
            actor=actor,
            data={
                "published_at": publication.published_at,
                "redress_closes_at": publication.redress_closes_at,
                "reports": Application.objects.filter(call=call, state__in=list(OUTCOMES)).count(),
            },
        )
        call_id = call.pk
        transaction.on_commit(lambda: tasks.generate_summary_reports.delay(call_id), robust=True)
    return publication


def resend_missing_reports(*, call: Call, actor: User) -> None:
    """Queue the reports again (after a failed run): those already sent are skipped."""
    require_staff(actor)
    if not ResultsPublication.objects.filter(call=call).exists():
        raise ValidationError(_("The results of this call are not published yet."))
    call_id = call.pk
    transaction.on_commit(lambda: tasks.generate_summary_reports.delay(call_id), robust=True)
