"""A participant's personal agenda at a brokerage event: their placed meetings in time order,
each with the other side, the table and the time in the event's zone; as a page, a PDF
(WeasyPrint, minegap.documents) and an iCalendar file with one VEVENT per meeting."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events import timing
from events.calendar import PRODUCT_ID
from events.models import Event, Meeting, MeetingOutcome, MeetingRequestState, Registration
from minegap.documents.services import render_pdf


@dataclass(frozen=True)
class AgendaItem:
    meeting: Meeting
    other_person: str
    other_organisation: str
    when: str
    led_to_consortium: bool | None  # my answer after the event; None: not said


def agenda_of(registration: Registration) -> list[AgendaItem]:
    """The participant's placed meetings (of accepted requests), earliest first: two queries."""
    event = registration.event
    meetings = (
        Meeting.objects.filter(
            seats__participant=registration, request__state=MeetingRequestState.ACCEPTED
        )
        .select_related(
            "request__requester__user",
            "request__requester__organisation",
            "request__addressee__user",
            "request__addressee__organisation",
        )
        .order_by("slot", "table")
    )
    answers = dict(
        MeetingOutcome.objects.filter(participant=registration).values_list(
            "meeting_request_id", "led_to_consortium"
        )
    )
    items = []
    for meeting in meetings:
        request = meeting.request
        other = request.other_side(registration)
        items.append(
            AgendaItem(
                meeting=meeting,
                other_person=other.user.full_name or other.user.email,
                other_organisation=other.organisation.legal_name if other.organisation else "",
                when=timing.span_text(meeting.starts_at, meeting.ends_at, event.time_zone),
                led_to_consortium=answers.get(request.pk),
            )
        )
    return items


def agenda_calendar(registration: Registration, items: list[AgendaItem], stamp: datetime) -> bytes:
    """One VEVENT per meeting, in the event's zone, at the event's place with the table."""
    event: Event = registration.event
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    page = f"{settings.SITE_URL}{reverse('events:agenda', args=[event.pk])}"
    for item in items:
        meeting = item.meeting
        with_whom = item.other_organisation or item.other_person
        entry = CalendarEvent()
        entry.add("uid", f"meeting-{meeting.request_id}@minegap")
        entry.add("summary", f"{event.title}: {with_whom} (table {meeting.table})")
        entry.add("dtstart", meeting.starts_at.astimezone(event.tz))
        entry.add("dtend", meeting.ends_at.astimezone(event.tz))
        entry.add("dtstamp", stamp)
        place = event.place or event.online_link
        entry.add(
            "location", f"{place}, table {meeting.table}" if place else f"table {meeting.table}"
        )
        entry.add("url", page)
        entry.add("description", f"{item.other_person}, {item.other_organisation}\n\n{page}")
        calendar.add_component(entry)
    return calendar.to_ical()


def agenda_pdf(registration: Registration, items: list[AgendaItem]) -> bytes:
    event = registration.event
    return render_pdf(
        "events/pdf/agenda.html",
        {
            "event": event,
            "registration": registration,
            "person": registration.user.full_name or registration.user.email,
            "items": items,
            "when": timing.span_text(event.starts_at, event.ends_at, event.time_zone),
            "reference": f"EV{event.pk}-A{registration.pk}",
        },
    )
