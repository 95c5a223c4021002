"""Reads for the results to applicants: who sees an application's results, the redress window,
the complaints staff track."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.rules import is_consortium_staff, require_second_factor
from calls.models import Application, Call, MemberStatus
from evaluation.esr import OUTCOMES
from evaluation.models import Complaint, ComplaintState, EvaluationSummaryReport, ResultsPublication


def publication_of(call: Call) -> ResultsPublication | None:
    return ResultsPublication.objects.filter(call=call).first()


def window_open(publication: ResultsPublication, now: datetime) -> bool:
    """Complaints are accepted up to and including the window's last instant."""
    return now <= publication.redress_closes_at


def is_consortium_person(user, application: Application) -> bool:
    """A person of an organisation confirmed in the consortium (invited ones are not told the
    results of a consortium they never joined)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return application.members.filter(
        status=MemberStatus.CONFIRMED, organisation__memberships__user=user
    ).exists()


def is_consortium_admin(user, application: Application) -> bool:
    """An administrator of any organisation confirmed in the consortium: may file a complaint."""
    if not getattr(user, "is_authenticated", False):
        return False
    return application.members.filter(
        status=MemberStatus.CONFIRMED,
        organisation__memberships__user=user,
        organisation__memberships__role=Membership.Role.ADMIN,
    ).exists()


def sees_results(user, application: Application) -> bool:
    return is_consortium_person(user, application) or bool(
        getattr(user, "is_authenticated", False) and is_consortium_staff(user)
    )


def check_results_access(user, application: Application) -> ResultsPublication:
    """The call's publication if `user` may read the application's results: 404 for anyone
    outside its confirmed organisations (staff excepted) and until they are published; 403 for
    staff without two-factor authentication, who read other organisations' results."""
    if not sees_results(user, application):
        raise Http404
    publication = publication_of(application.call)
    if publication is None or application.state not in OUTCOMES:
        raise Http404
    if not is_consortium_person(user, application):
        require_second_factor(
            user, _("Sign in with your authenticator app to read other organisations' results.")
        )
    return publication


def summary_report_of(application: Application) -> EvaluationSummaryReport | None:
    return EvaluationSummaryReport.objects.filter(application=application).first()


def complaints_of(application: Application) -> QuerySet[Complaint]:
    return Complaint.objects.filter(application=application).order_by("-filed_at", "-pk")


def open_complaint_exists(application: Application) -> bool:
    return (
        Complaint.objects.filter(application=application)
        .exclude(state__in=ComplaintState.closed())
        .exists()
    )


def staff_complaints(*, call: Call | None = None, state: str = "") -> QuerySet[Complaint]:
    """Complaints for staff, the soonest due first (closed ones after the open ones)."""
    queryset = Complaint.objects.select_related("application__call", "handler")
    if call is not None:
        queryset = queryset.filter(application__call=call)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.order_by(F("decided_at").asc(nulls_first=True), "due_by", "pk")


def calls_with_results() -> QuerySet[Call]:
    return Call.objects.filter(results_publication__isnull=False).order_by("title")
