"""The event as an iCalendar (.ics) file (RFC 5545, written by the `icalendar` library): for the
confirmation e-mail and the participant's download."""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Event, Registration

PRODUCT_ID = "-//MineGap//Events//EN"


def event_calendar(event: Event, *, with_online_link: bool) -> bytes:
    """One VEVENT; the online link only for a registered participant (`with_online_link`)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.pk}@minegap")
    entry.add("summary", event.title)
    entry.add("dtstart", event.starts_at.astimezone(event.tz))
    entry.add("dtend", event.ends_at.astimezone(event.tz))
    entry.add("dtstamp", event.published_at or event.created_at)
    page = f"{settings.SITE_URL}{reverse('events:detail', args=[event.pk])}"
    entry.add("url", page)
    if with_online_link and event.online_link:
        entry.add("location", event.online_link)
    elif event.place:
        entry.add("location", event.place)
    entry.add("description", f"{event.description}\n\n{page}")
    calendar.add_component(entry)
    return calendar.to_ical()


def stored_invitation(registration: Registration) -> dict[str, str]:
    """The participant's .ics stored for the outbox (which attaches stored files)."""
    content = event_calendar(registration.event, with_online_link=True)
    path = default_storage.save(f"events/ics/{uuid.uuid4().hex}.ics", ContentFile(content))
    return {
        "path": path,
        "filename": f"event-{registration.event_id}.ics",
        "mimetype": "text/calendar",
    }
