"""A participant's registration (register, cancel, the .ics) and the staff's attendance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_POST

from events import calendar, certificates, preconditions, registration, selectors
from events.forms import AttendanceForm, RegistrationForm
from events.models import Event, Registration
from events.views import show_errors


@require_POST
@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.public_events(), pk=pk)
    form = RegistrationForm(request.POST, user=request.user, event=event)
    if not form.is_valid():
        show_errors(
            request, ValidationError([e for errors in form.errors.values() for e in errors])
        )
        return redirect("events:detail", pk=event.pk)
    try:
        done = registration.register(
            event=event, user=request.user, organisation=form.cleaned_data.get("organisation")
        )
    except ValidationError as error:
        show_errors(request, error)
    else:
        if done.status == "confirmed":
            messages.success(request, _("You are registered. A confirmation is on its way."))
        else:
            messages.success(request, _("The event is full: you are on the waiting list."))
    return redirect("events:detail", pk=event.pk)


@require_POST
@login_required
def cancel_registration(request: HttpRequest, pk: int) -> HttpResponse:
    mine = selectors.active_registration(pk, request.user)
    if mine is None:
        raise Http404
    try:
        registration.cancel(registration=mine, actor=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", pk=pk)


@require_GET
@login_required
def calendar_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The event as .ics for a confirmed participant (with the online link)."""
    mine = selectors.active_registration(pk, request.user)
    if mine is None or mine.status != "confirmed":
        raise Http404
    response = HttpResponse(
        calendar.event_calendar(mine.event, with_online_link=True),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="event-{pk}.ics"'
    return response


class AttendanceView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "events.manage_events"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
        event = get_object_or_404(Event, pk=pk)
        target = get_object_or_404(Registration, pk=registration_pk, event=event)
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            show_errors(request, ValidationError(_("Say whether the person attended.")))
            return redirect("events:manage-detail", pk=event.pk)
        try:
            registration.record_attendance(
                registration=target, attended=form.cleaned_data["attended"], actor=request.user
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Attendance recorded."))
        return redirect("events:manage-detail", pk=event.pk)


@require_GET
@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant's certificate of attendance (trainings), as PDF."""
    mine = selectors.active_registration(pk, request.user)
    if mine is None or preconditions.certificate_refusal(mine):
        raise Http404
    response = HttpResponse(certificates.certificate_pdf(mine), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-event-{pk}.pdf"'
    return response
