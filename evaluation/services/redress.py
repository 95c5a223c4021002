"""Redress: a consortium files a complaint on procedural grounds within the window; staff review
it and decide (upheld or dismissed) in writing by its due date; an upheld complaint against an
ineligibility may reinstate the application's eligibility."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from accounts.selectors import people_with_role
from calls.models import Application, ApplicationState
from calls.receipts import consortium_admins
from calls.services import application_transition
from evaluation.esr import OUTCOMES, closing_date
from evaluation.models import Complaint, ComplaintState, ResultsPublication
from evaluation.selectors_results import (
    is_consortium_admin,
    open_complaint_exists,
    window_open,
)
from evaluation.services.common import require_staff
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

#: Days staff have to decide a complaint (DOMAIN.md: each complaint is tracked to a decision
#: with a deadline). A month, the same span applicants get by default to file one: long enough to
#: re-read an evaluation's record, short enough that a reserve place or an upheld ineligibility
#: still matters when it is answered. A decision after it is allowed; the list shows it overdue.
DECISION_DAYS = 30
#: Procedural grounds are explained in a few sentences at least: a bare "we disagree" is no
#: ground a reviewer can check.
MIN_GROUNDS_LENGTH = 100
MAX_GROUNDS_LENGTH = 10_000
MIN_DECISION_LENGTH = 30


def _lock(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update()
        .select_related("application__call")
        .get(pk=complaint.pk)
    )


def _refuse_if_decided(complaint: Complaint) -> None:
    """A decision is final: say so rather than name a step that can no longer be taken."""
    if complaint.state in ComplaintState.closed():
        raise ValidationError(
            _("This complaint was already decided (%(state)s) on %(date)s.")
            % {
                "state": complaint.get_state_display(),
                "date": date_format(
                    complaint.decided_at.astimezone(complaint.application.call.tz), "j F Y"
                ),
            }
        )


def file_complaint(
    *, application: Application, actor: User, grounds: str, now: datetime | None = None
) -> Complaint:
    """A consortium admin files a complaint within the redress window; one open at a time."""
    if not is_consortium_admin(actor, application):
        raise PermissionDenied(
            _("Only an administrator of an organisation in the consortium can file a complaint.")
        )
    grounds = (grounds or "").strip()
    if len(grounds) < MIN_GROUNDS_LENGTH:
        raise ValidationError(
            _("Explain the procedural grounds in at least %(n)d characters.")
            % {"n": MIN_GROUNDS_LENGTH}
        )
    if len(grounds) > MAX_GROUNDS_LENGTH:
        raise ValidationError(
            _("Keep the grounds within %(n)d characters.") % {"n": MAX_GROUNDS_LENGTH}
        )
    with transaction.atomic():
        application = (
            Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        )
        publication = ResultsPublication.objects.filter(call=application.call).first()
        if publication is None or application.state not in OUTCOMES:
            raise ValidationError(_("The results of this application are not published yet."))
        now = now or timezone.now()
        if not window_open(publication, now):
            raise ValidationError(
                _("The complaint window closed on %(date)s.") % {"date": closing_date(publication)},
                code="window_closed",
            )
        if open_complaint_exists(application):
            raise ValidationError(
                _("A complaint about this application is already open: wait for its decision.")
            )
        complaint = Complaint.objects.create(
            application=application,
            filed_by=actor,
            grounds=grounds,
            due_by=now.astimezone(application.call.tz).date() + timedelta(days=DECISION_DAYS),
        )
        # auto_now_add ignores `now`; the window was checked against it, keep them equal.
        Complaint.objects.filter(pk=complaint.pk).update(filed_at=now)
        complaint.filed_at = now
        record(
            action="evaluation.complaint.filed",
            target=application,
            actor=actor,
            data={"complaint": complaint.pk, "due_by": complaint.due_by},
        )
        enqueue(
            template="evaluation/complaint_filed",
            subject=_("Complaint filed: %(reference)s") % {"reference": application.reference},
            recipients=people_with_role(roles.STAFF).order_by("email"),
            context={
                "reference": application.reference,
                "call_title": application.call.title,
                "due_by": date_format(complaint.due_by, "j F Y"),
                "url": settings.SITE_URL
                + reverse("evaluation:complaint-detail", args=[complaint.pk]),
            },
        )
    return complaint


def start_review(*, complaint: Complaint, actor: User) -> Complaint:
    """Staff take a received complaint under review (and become its handler)."""
    require_staff(actor)
    with transaction.atomic():
        complaint = _lock(complaint)
        _refuse_if_decided(complaint)
        if complaint.state != ComplaintState.RECEIVED:
            raise ValidationError(_("Only a received complaint can be taken under review."))
        complaint.state = ComplaintState.UNDER_REVIEW
        complaint.handler = actor
        complaint.save(update_fields=["state", "handler"])
        record(
            action="evaluation.complaint.under_review",
            target=complaint.application,
            actor=actor,
            data={"complaint": complaint.pk},
        )
    return complaint


def decide_complaint(
    *, complaint: Complaint, actor: User, upheld: bool, decision: str
) -> Complaint:
    """Staff uphold or dismiss a complaint under review, with the written reasons; the
    complainant is told."""
    require_staff(actor)
    decision = (decision or "").strip()
    if len(decision) < MIN_DECISION_LENGTH:
        raise ValidationError(
            _("Write the decision and its reasons in at least %(n)d characters.")
            % {"n": MIN_DECISION_LENGTH}
        )
    with transaction.atomic():
        complaint = _lock(complaint)
        _refuse_if_decided(complaint)
        if complaint.state != ComplaintState.UNDER_REVIEW:
            raise ValidationError(_("Take the complaint under review before deciding it."))
        complaint.state = ComplaintState.UPHELD if upheld else ComplaintState.DISMISSED
        complaint.decision = decision
        complaint.decided_at = timezone.now()
        complaint.decided_by = actor
        complaint.save(update_fields=["state", "decision", "decided_at", "decided_by"])
        application = complaint.application
        record(
            action=f"evaluation.complaint.{complaint.state}",
            target=application,
            actor=actor,
            data={"complaint": complaint.pk, "decision": decision},
        )
        enqueue(
            template="evaluation/complaint_decided",
            subject=_("Decision on your complaint: %(reference)s")
            % {"reference": application.reference},
            recipients=[complaint.filed_by]
            if complaint.filed_by
            else consortium_admins(application),
            context={
                "reference": application.reference,
                "call_title": application.call.title,
                "state": complaint.get_state_display(),
                "decision": decision,
                "url": settings.SITE_URL
                + reverse("evaluation:applicant-results", args=[application.pk]),
            },
        )
    return complaint


def reinstate_eligibility(*, complaint: Complaint, actor: User) -> Application:
    """After an upheld complaint against an ineligibility, the application is eligible again
    (it re-enters the evaluation through the usual steps)."""
    require_staff(actor)
    with transaction.atomic():
        complaint = _lock(complaint)
        if complaint.state != ComplaintState.UPHELD:
            raise ValidationError(_("Only an upheld complaint can reinstate eligibility."))
        if complaint.application.state != ApplicationState.INELIGIBLE:
            raise ValidationError(_("The application is not ineligible."))
        application = application_transition(
            application=complaint.application,
            to_state=ApplicationState.ELIGIBLE,
            actor=actor,
            reason=_("Complaint #%(n)d upheld.") % {"n": complaint.pk},
        )
        record(
            action="evaluation.complaint.eligibility_reinstated",
            target=application,
            actor=actor,
            data={"complaint": complaint.pk},
        )
    return application
