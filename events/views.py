"""Event pages: the public list and page (/events/...) and the staff's (/manage/events/...).
MFA for /manage/ is enforced by the middleware."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET

from events import preconditions, selectors, services
from events.filters import EventFilter
from events.forms import EventForm, MaterialForm, RegistrationForm
from events.models import BrokerageSettings, Event, RegistrationStatus
from minegap.core.csv import csv_lines
from minegap.core.page_cache import cache_anonymous_page

PAGE_SIZE = 20


def show_errors(request: HttpRequest, error: ValidationError) -> None:
    """Each message of `error` as an error message on the next page."""
    for message in error.messages:
        messages.error(request, message)


def _errors_to_form(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@require_GET
@cache_anonymous_page
def event_list(request: HttpRequest) -> HttpResponse:
    filters = EventFilter(request.GET, queryset=selectors.public_events())
    events = filters.qs if filters.is_valid() else selectors.public_events().none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/public/event_list.html",
        {
            "filters": filters,
            "page": page,
            "querystring": query.urlencode(),
            "past": filters.form.cleaned_data.get("when") == "past"
            if filters.is_valid()
            else False,
        },
    )


CSV_HEADER = [
    "id", "kind", "title", "starts_at", "ends_at", "time_zone", "place", "online", "language",
    "capacity", "registration_deadline", "call", "state",
]  # fmt: skip


@require_GET
def event_csv(request: HttpRequest) -> HttpResponse:
    """The public list as open data (CSV), with the page's filters (upcoming by default)."""
    filters = EventFilter(request.GET, queryset=selectors.public_events())
    if not filters.is_valid():
        return HttpResponse(str(filters.errors), status=400, content_type="text/plain")
    rows = (
        [
            e.pk, e.kind, e.title, e.starts_at.isoformat(), e.ends_at.isoformat(), e.time_zone,
            e.place, e.is_online, e.language, e.capacity, e.registration_deadline.isoformat(),
            e.call.slug if e.call else "", e.state,
        ]
        for e in filters.qs.iterator(chunk_size=500)
    )  # fmt: skip
    response = StreamingHttpResponse(csv_lines(CSV_HEADER, rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="minegap-events.csv"'
    return response


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.public_events(), pk=pk)
    ended = selectors.has_ended(event)
    mine = selectors.active_registration(event.pk, request.user)
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return render(
        request,
        "events/public/event_detail.html",
        {
            "event": event,
            "mine": mine,
            "waiting_position": selectors.waiting_position(mine)
            if mine and mine.status == RegistrationStatus.WAITING
            else None,
            "register_refusal": preconditions.registration_refusal(
                event, request.user, timezone.now()
            )
            if request.user.is_authenticated
            else None,
            "registration_form": RegistrationForm(user=request.user, event=event)
            if request.user.is_authenticated
            else None,
            "places_left": max(event.capacity - confirmed, 0),
            "can_have_certificate": mine is not None
            and preconditions.certificate_refusal(mine) is None,
            "ended": ended,
            "materials": event.materials.all() if ended else [],
        },
    )


class StaffView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "events.manage_events"

    def get_event(self, pk: int) -> Event:
        return get_object_or_404(Event, pk=pk)


class ManageListView(StaffView):
    def get(self, request: HttpRequest) -> HttpResponse:
        events = Event.objects.select_related("call").order_by("-starts_at", "-pk")
        page = Paginator(events, 25).get_page(request.GET.get("page"))
        return render(request, "events/manage/event_list.html", {"page": page})


class CreateView(StaffView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "events/manage/event_form.html", {"form": EventForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EventForm(request.POST)
        if form.is_valid():
            try:
                event = services.create_event(actor=request.user, **form.service_data())
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Event created as a draft."))
                return redirect("events:manage-detail", pk=event.pk)
        return render(request, "events/manage/event_form.html", {"form": form}, status=400)


class EditView(StaffView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        return render(
            request,
            "events/manage/event_form.html",
            {"form": EventForm(instance=event), "event": event},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        form = EventForm(request.POST, instance=event)
        if form.is_valid():
            try:
                services.update_event(event=event, actor=request.user, **form.service_data())
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Event saved."))
                return redirect("events:manage-detail", pk=event.pk)
        return render(
            request, "events/manage/event_form.html", {"form": form, "event": event}, status=400
        )


class DetailView(StaffView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        return render(request, "events/manage/event_detail.html", _detail(event, MaterialForm()))


def _detail(event: Event, material_form: MaterialForm) -> dict:
    now = timezone.now()
    participants = list(selectors.participants(event))
    return {
        "event": event,
        "materials": event.materials.all(),
        "material_form": material_form,
        "publish_refusal": preconditions.publish_refusal(event, now),
        "cancel_refusal": preconditions.cancel_refusal(event, now),
        "edit_refusal": preconditions.edit_refusal(event, now),
        "material_refusal": preconditions.material_refusal(event, now),
        "participants": participants,
        "confirmed": sum(p.status == RegistrationStatus.CONFIRMED for p in participants),
        "waiting": sum(p.status == RegistrationStatus.WAITING for p in participants),
        "started": event.starts_at <= now,
        "has_grid": BrokerageSettings.objects.filter(event=event).exists(),
    }


class _ActionView(StaffView):
    """A POST that runs one service; its refusal comes back as a message on the event's page."""

    http_method_names = ["post"]
    success = ""

    def act(self, event: Event, actor) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        try:
            self.act(event, request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, self.success)
        return redirect("events:manage-detail", pk=event.pk)


class PublishView(_ActionView):
    def act(self, event: Event, actor) -> None:
        services.publish_event(event=event, actor=actor)
        self.success = _("Event published.")


class CancelView(_ActionView):
    def act(self, event: Event, actor) -> None:
        services.cancel_event(event=event, actor=actor)
        self.success = _("Event cancelled.")


class AddMaterialView(StaffView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        form = MaterialForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_material(event=event, actor=request.user, **form.service_data())
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Material added."))
                return redirect("events:manage-detail", pk=event.pk)
        return render(request, "events/manage/event_detail.html", _detail(event, form), status=400)
