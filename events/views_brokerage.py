"""B2B brokerage pages: the participants' directory, a meeting request, my requests (answer,
cancel, with confirmation), offer/seek and availability; staff's meeting grid settings and
"schedule all". Thin: forms in, services do the work, refusals shown as messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.http import require_http_methods

from events import brokerage, brokerage_selectors, tasks
from events.brokerage_forms import (
    AvailabilityForm,
    BrokerageProfileForm,
    BrokerageSettingsForm,
    DirectorySearchForm,
    MeetingRequestForm,
)
from events.models import Event, EventKind, EventState, Registration
from events.views import show_errors

PAGE_SIZE = 20
ANSWERS = ("accept", "decline", "cancel")


def _event(pk: int) -> Event:
    return get_object_or_404(
        Event,
        pk=pk,
        kind=EventKind.BROKERAGE,
        state__in=(EventState.PUBLISHED, EventState.CANCELLED),
    )


def _visible(request: HttpRequest, pk: int) -> Event:
    event = _event(pk)
    if not request.user.has_perm("events.view_brokerage", event):
        raise PermissionDenied(_("Only the event's confirmed participants see its participants."))
    return event


def _me(request: HttpRequest, pk: int) -> tuple[Event, Registration]:
    event = _event(pk)
    if not request.user.has_perm("events.take_part_in_brokerage", event):
        raise PermissionDenied(_("Only the event's confirmed participants arrange meetings."))
    me = brokerage.participation(event, request.user)
    if me is None:  # cancelled between the two reads
        raise Http404
    return event, me


def _posted(request: HttpRequest):
    """The POST data to bind a form to (an empty POST too: it must fail validation), or None."""
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET"])
@login_required
def directory(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible(request, pk)
    me = brokerage.participation(event, request.user)
    form = DirectorySearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(brokerage_selectors.directory(event, me, q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pairs = brokerage_selectors.requests_with(me) if me else {}
    rows = [
        {"registration": r, "texts": brokerage_selectors.shown_texts(r), "pair": pairs.get(r.pk)}
        for r in page.object_list
    ]
    suggestions = [
        {"item": s, "pair": pairs.get(s.registration.pk)}
        for s in (brokerage_selectors.recommended(event, me) if me and not q else [])
    ]
    return render(
        request,
        "events/brokerage/directory.html",
        {
            "event": event,
            "me": me,
            "form": form,
            "q": q,
            "page_obj": page,
            "rows": rows,
            "suggestions": suggestions,
            "refusal": brokerage.brokerage_refusal(event, timezone.now()),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def request_meeting(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    """GET: the participant's offer and seek with the request form; POST: send it."""
    event, me = _me(request, pk)
    others = brokerage_selectors.directory(event, me)
    addressee = get_object_or_404(others, pk=registration_pk)
    form = MeetingRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            brokerage.request_meeting(
                requester=me,
                addressee=addressee,
                actor=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Your request is sent. You will hear when they answer."))
            return redirect("events:brokerage-requests", pk=event.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/brokerage/request_form.html",
        {
            "event": event,
            "other": addressee,
            "texts": brokerage_selectors.shown_texts(addressee),
            "form": form,
            "refusal": brokerage.brokerage_refusal(event, timezone.now())
            or brokerage.request_refusal(me, addressee),
        },
        status=status,
    )


@require_http_methods(["GET"])
@login_required
def my_requests(request: HttpRequest, pk: int) -> HttpResponse:
    event, me = _me(request, pk)
    return render(
        request,
        "events/brokerage/requests.html",
        {
            "event": event,
            "me": me,
            "received": list(brokerage_selectors.received_requests(me)),
            "sent": list(brokerage_selectors.sent_requests(me)),
            "tz": event.tz,
        },
    )


SERVICES = {
    "accept": brokerage.accept_meeting,
    "decline": brokerage.decline_meeting,
    "cancel": brokerage.cancel_meeting,
}
DONE = {
    "accept": _("Meeting accepted."),
    "decline": _("Request declined."),
    "cancel": _("Cancelled. The other side is told."),
}


@require_http_methods(["GET", "POST"])
@login_required
def answer(request: HttpRequest, pk: int, request_pk: int, action: str) -> HttpResponse:
    """GET: the confirmation (these steps cannot be undone); POST: do it."""
    if action not in ANSWERS:
        raise Http404
    event, me = _me(request, pk)
    mine = brokerage_selectors.received_requests(me) if action != "cancel" else None
    if mine is None:
        mine = brokerage_selectors.sent_requests(me) | brokerage_selectors.received_requests(me)
    meeting_request = get_object_or_404(mine, pk=request_pk)
    if request.method == "POST":
        try:
            SERVICES[action](meeting_request=meeting_request, actor=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, DONE[action])
        return redirect("events:brokerage-requests", pk=event.pk)
    return render(
        request,
        "events/brokerage/confirm.html",
        {"event": event, "me": me, "meeting_request": meeting_request, "action": action},
    )


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """What we offer and seek at this event (the partner profile's texts until published)."""
    event, me = _me(request, pk)
    shown = brokerage_selectors.shown_texts(brokerage_selectors.participants(event).get(pk=me.pk))
    initial = {"offer": shown.offer, "seek": shown.seek}
    if not shown.offer and not shown.seek:
        initial["offer"], initial["seek"] = brokerage.default_texts(me)
    form = BrokerageProfileForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            brokerage.publish_profile(
                registration=me,
                actor=request.user,
                offer=form.cleaned_data["offer"],
                seek=form.cleaned_data["seek"],
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Published: the other participants see it."))
            return redirect("events:brokerage-directory", pk=event.pk)
    return render(
        request,
        "events/brokerage/profile_form.html",
        {"event": event, "form": form, "published": shown.published},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def availability(request: HttpRequest, pk: int) -> HttpResponse:
    event, me = _me(request, pk)
    slots = brokerage_selectors.slots_of(event)
    current = getattr(me, "brokerage_profile", None)
    chosen = (
        current.available_slots
        if current is not None and current.available_slots is not None
        else [s.index for s in slots]
    )
    form = AvailabilityForm(_posted(request), slots=slots, event=event, initial={"slots": chosen})
    if request.method == "POST" and form.is_valid():
        try:
            brokerage.set_availability(
                registration=me, actor=request.user, slots=form.cleaned_data["slots"]
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Your availability is saved."))
            return redirect("events:brokerage-requests", pk=event.pk)
    return render(
        request,
        "events/brokerage/availability.html",
        {
            "event": event,
            "form": form,
            "slots": slots,
            "no_time_left": brokerage_selectors.has_no_chosen_time_left(current),
        },
        status=400 if request.method == "POST" else 200,
    )


def _grid_saved_message(saved: brokerage.GridSaved) -> str:
    sentences = [_("The meeting grid is saved.")]
    if saved.availabilities_emptied:
        sentences.append(
            ngettext(
                "%(count)d participant no longer has any of their chosen times on the grid and "
                "has been e-mailed to choose again.",
                "%(count)d participants no longer have any of their chosen times on the grid and "
                "have been e-mailed to choose again.",
                saved.availabilities_emptied,
            )
            % {"count": saved.availabilities_emptied}
        )
    if saved.availabilities_narrowed:
        sentences.append(
            ngettext(
                "%(count)d participant lost some of their chosen times and has been e-mailed "
                "the ones that remain.",
                "%(count)d participants lost some of their chosen times and have been e-mailed "
                "the ones that remain.",
                saved.availabilities_narrowed,
            )
            % {"count": saved.availabilities_narrowed}
        )
    return " ".join(sentences)


class SettingsView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Staff set the meeting grid and start "schedule all"."""

    permission_required = "events.manage_events"

    def _page(self, request, event, form, status=200) -> HttpResponse:
        settings = brokerage_selectors.grid_settings(event)
        return render(
            request,
            "events/brokerage/settings.html",
            {
                "event": event,
                "form": form,
                "settings": settings,
                "slots": brokerage_selectors.slots_of(event),
                "placed": brokerage_selectors.placed_count(event),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = get_object_or_404(Event, pk=pk, kind=EventKind.BROKERAGE)
        settings = brokerage_selectors.grid_settings(event)
        initial = {}
        if settings is not None:
            initial = {
                "meeting_minutes": settings.meeting_minutes,
                "tables": settings.tables,
                "sessions": "\n".join(
                    f"{s.starts_at.astimezone(event.tz):%Y-%m-%d %H:%M}-"
                    f"{s.ends_at.astimezone(event.tz):%H:%M}"
                    for s in event.brokerage_sessions.all()
                ),
            }
        return self._page(request, event, BrokerageSettingsForm(event=event, initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = get_object_or_404(Event, pk=pk, kind=EventKind.BROKERAGE)
        form = BrokerageSettingsForm(request.POST, event=event)
        if not form.is_valid():
            return self._page(request, event, form, status=400)
        try:
            saved = brokerage.configure_brokerage(
                event=event,
                actor=request.user,
                meeting_minutes=form.cleaned_data["meeting_minutes"],
                tables=form.cleaned_data["tables"],
                sessions=form.cleaned_data["sessions"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self._page(request, event, form, status=400)
        messages.success(request, _grid_saved_message(saved))
        return redirect("events:brokerage-settings", pk=event.pk)


class ScheduleView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Staff's "schedule all": the solver runs in a Celery task (it may take seconds)."""

    permission_required = "events.manage_events"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = get_object_or_404(Event, pk=pk, kind=EventKind.BROKERAGE)
        if brokerage_selectors.grid_settings(event) is None:
            messages.error(request, _("Set the meeting grid first."))
        else:
            actor_id = request.user.pk
            transaction.on_commit(lambda: tasks.schedule_brokerage.delay(event.pk, actor_id))
            messages.success(
                request,
                _("Scheduling has started: the accepted meetings get their slots in a moment."),
            )
        return redirect("events:brokerage-settings", pk=event.pk)
