"""The calls app's dashboard panels: an applicant's applications, and staff's calls."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from calls import selectors, tab_counts
from calls.models import Application, ApplicationState, Call, CallState
from calls.next_steps import NextStep, next_steps
from calls.tab_counts import count_of, tab_figures
from minegap.core import slots
from minegap.core.addresses import reverse_once

# Calls staff still work on; archived and unpublished drafts are on the calls page.
STAFF_CALL_STATES = (
    CallState.PUBLISHED,
    CallState.OPEN,
    CallState.CLOSED,
    CallState.EVALUATING,
    CallState.DECIDED,
    CallState.RESULTS_PUBLISHED,
)


@dataclass(frozen=True)
class ApplicationItem:
    application: Application
    step: NextStep


def applicant_panel(request: HttpRequest) -> dict:
    now = timezone.now()
    applications = list(selectors.applications_for_user(request.user))
    steps = next_steps(applications, now, request.user)
    return {
        "items": [ApplicationItem(a, steps[a.pk]) for a in applications],
        "invitations": list(selectors.pending_invitations(request.user)),
        "now": now,
    }


@dataclass(frozen=True)
class CallItem:
    call: Call
    submitted: int


def staff_calls_panel(request: HttpRequest) -> dict:
    calls = (
        Call.objects.filter(state__in=STAFF_CALL_STATES)
        .annotate(
            submitted=Count(
                "applications",
                filter=Q(applications__state__in=ApplicationState.submitted_states()),
            ),
        )
        .order_by("closes_at", "pk")
    )
    return {"calls": [CallItem(call=call, submitted=call.submitted) for call in calls]}


def _settings_tab(request: HttpRequest, call: Call) -> slots.Tab:
    return slots.tab(
        request,
        url=reverse_once("calls:manage-detail", call.slug),
        label=_("Settings"),
        url_names=("calls:manage-detail", "calls:manage-edit", "calls:manage-items"),
        stage=call.effective_state in (CallState.DRAFT, CallState.PUBLISHED),
    )


def _applications_tab(request: HttpRequest, call: Call) -> slots.Tab:
    submitted = tab_figures(call)["submitted_applications"]
    return slots.tab(
        request,
        url=reverse_once("calls:manage-applications", call.slug),
        label=_("Applications"),
        url_names=("calls:manage-applications",),
        count=submitted,
        count_label=ngettext("submitted", "submitted", submitted),
        stage=call.effective_state == CallState.OPEN,
    )


def _submitted_applications() -> Subquery:
    return count_of(
        Application.objects.filter(
            call=OuterRef("pk"), state__in=ApplicationState.submitted_states()
        )
    )


def register() -> None:
    tab_counts.register("submitted_applications", _submitted_applications)
    slots.register_tab("calls:call-tabs", "settings", _settings_tab, order=10)
    slots.register_tab("calls:call-tabs", "applications", _applications_tab, order=20)
    slots.register(
        "dashboard:applicant",
        "calls-applications",
        "calls/panels/applications.html",
        applicant_panel,
        order=20,
    )
    slots.register(
        "dashboard:staff",
        "calls-calls",
        "calls/panels/staff_calls.html",
        staff_calls_panel,
        order=10,
    )
