"""Staff's whole meeting grid of a brokerage event (slots x tables), and moving a meeting."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import brokerage_grid, meeting_outcomes, timing
from events.models import BrokerageSettings, Event, Meeting, MeetingRequestState
from events.views import StaffView, show_errors


class MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return _("%(slot)s, table %(table)d: %(first)s and %(second)s") % {
            "slot": meeting.starts_at.astimezone(meeting.event.tz).strftime("%H:%M"),
            "table": meeting.table,
            "first": meeting_outcomes.side_name(meeting.request.requester),
            "second": meeting_outcomes.side_name(meeting.request.addressee),
        }


class MoveForm(forms.Form):
    meeting = MeetingChoice(label=gettext_lazy("Meeting"), queryset=Meeting.objects.none())
    slot = forms.TypedChoiceField(label=gettext_lazy("New time"), coerce=int)
    table = forms.TypedChoiceField(label=gettext_lazy("New table"), coerce=int)

    def __init__(
        self,
        *args,
        meetings: QuerySet[Meeting],
        grid: list,
        tables: int,
        time_zone: str,
        listed: list[Meeting] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = meetings  # what a posted choice is checked against
        if listed is not None:
            # The grid page has just read these same meetings: offer them without reading again.
            field.choices = [("", field.empty_label), *map(field.iterator(field).choice, listed)]
        self.fields["slot"].choices = [
            (slot.index, timing.span_text(slot.starts_at, slot.ends_at, time_zone)) for slot in grid
        ]
        self.fields["table"].choices = [(n, n) for n in range(1, tables + 1)]


def _grid_of(event: Event) -> tuple[BrokerageSettings, list]:
    settings = BrokerageSettings.objects.select_related("event").filter(event=event).first()
    if settings is None:
        raise Http404
    return settings, brokerage_grid.event_slots(settings)


def _meetings(event: Event):
    return (
        Meeting.objects.filter(event=event, request__state=MeetingRequestState.ACCEPTED)
        .select_related(
            "event",
            "request__requester__user",
            "request__requester__organisation",
            "request__addressee__user",
            "request__addressee__organisation",
        )
        .order_by("slot", "table")
    )


class GridView(StaffView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        settings, grid = _grid_of(event)
        meetings = list(_meetings(event))
        at = {(m.slot, m.table): m for m in meetings}
        tables = range(1, settings.tables + 1)
        rows = [
            {
                "slot": slot,
                "when": timing.span_text(slot.starts_at, slot.ends_at, event.time_zone),
                "cells": [(table, at.get((slot.index, table))) for table in tables],
            }
            for slot in grid
        ]
        return render(
            request,
            "events/manage/grid.html",
            {
                "event": event,
                "settings": settings,
                "tables": tables,
                "rows": rows,
                "placed": len(at),
                "move_form": MoveForm(
                    meetings=_meetings(event),
                    listed=meetings,
                    grid=grid,
                    tables=settings.tables,
                    time_zone=event.time_zone,
                ),
                "zone": timing.zone_label(event.time_zone),
            },
        )


class MoveView(StaffView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self.get_event(pk)
        settings, grid = _grid_of(event)
        form = MoveForm(
            request.POST,
            meetings=_meetings(event),
            grid=grid,
            tables=settings.tables,
            time_zone=event.time_zone,
        )
        if not form.is_valid():
            show_errors(
                request, ValidationError([e for errors in form.errors.values() for e in errors])
            )
            return redirect("events:grid", pk=pk)
        try:
            meeting_outcomes.move_meeting(
                meeting=form.cleaned_data["meeting"],
                actor=request.user,
                slot=form.cleaned_data["slot"],
                table=form.cleaned_data["table"],
            )
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("Meeting moved; both participants are told by e-mail."))
        return redirect("events:grid", pk=pk)
