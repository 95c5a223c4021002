"""A participant's agenda at a brokerage event (page, PDF, .ics), and what they do with a
meeting afterwards: say whether it led to a consortium, start an application together."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events import agenda, brokerage, meeting_outcomes, selectors
from events.forms import OutcomeForm, StartApplicationForm
from events.models import Event, EventKind, MeetingRequest, Registration
from events.views import show_errors


def _mine(request: HttpRequest, pk: int) -> Registration:
    """The signed-in person's confirmed registration for this published brokerage event: 404
    for anyone else (nobody learns who takes part)."""
    event = get_object_or_404(selectors.public_events(), pk=pk, kind=EventKind.BROKERAGE)
    registration = brokerage.participation(event, request.user)
    if registration is None:
        raise Http404
    registration.event = event
    return registration


@require_GET
@login_required
def agenda_page(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _mine(request, pk)
    event: Event = registration.event
    items = agenda.agenda_of(registration)
    ended = selectors.has_ended(event)
    calls = list(selectors.open_calls())
    return render(
        request,
        "events/agenda/agenda.html",
        {
            "event": event,
            "registration": registration,
            "items": items,
            "ended": ended,
            "start_form": StartApplicationForm(event=event, listed=calls),
            "has_open_calls": bool(calls),
        },
    )


@require_GET
@login_required
def agenda_ics(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _mine(request, pk)
    content = agenda.agenda_calendar(registration, agenda.agenda_of(registration), timezone.now())
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meetings-{pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _mine(request, pk)
    content = agenda.agenda_pdf(registration, agenda.agenda_of(registration))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meetings-{pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _my_request(request: HttpRequest, pk: int, request_pk: int) -> MeetingRequest:
    registration = _mine(request, pk)
    meeting_request = get_object_or_404(MeetingRequest, pk=request_pk, event_id=pk)
    if registration.pk not in meeting_request.participant_ids:
        raise Http404
    return meeting_request


def _errors(request: HttpRequest, form: forms.Form) -> None:
    show_errors(request, ValidationError([e for errors in form.errors.values() for e in errors]))


@require_POST
@login_required
def record_outcome(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    meeting_request = _my_request(request, pk, request_pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("events:agenda", pk=pk)
    try:
        meeting_outcomes.record_outcome(
            meeting_request=meeting_request,
            actor=request.user,
            led_to_consortium=form.cleaned_data["led_to_consortium"],
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Thank you: your answer is recorded."))
    return redirect("events:agenda", pk=pk)


@require_POST
@login_required
def start_application(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    meeting_request = _my_request(request, pk, request_pk)
    form = StartApplicationForm(request.POST, event=meeting_request.event)
    if not form.is_valid():
        _errors(request, form)
        return redirect("events:agenda", pk=pk)
    try:
        application = meeting_outcomes.start_application_together(
            meeting_request=meeting_request, actor=request.user, call=form.cleaned_data["call"]
        )
    except ValidationError as error:
        show_errors(request, error)
        return redirect("events:agenda", pk=pk)
    messages.success(
        request, _("Your draft application is started and the other side is invited into it.")
    )
    return redirect("calls:apply-home", pk=application.pk)
