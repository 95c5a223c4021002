"""`{% load events_time %}`: event times in the event's zone, naming it (events.timing)."""

from datetime import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from events import timing

register = template.Library()


def _time(moment: datetime, time_zone: str, text: str) -> SafeString:
    return format_html(
        '<time datetime="{}">{}</time>', timing.local(moment, time_zone).isoformat(), text
    )


@register.simple_tag
def time_span(starts: datetime, ends: datetime, time_zone: str) -> SafeString:
    """10 March 2031, <time>10:00</time>-<time>12:00</time> (Brussels time)."""
    parts = timing.span_parts(starts, ends, time_zone)
    return format_html(
        timing.span_pattern(parts["same_day"]),
        date=parts["date"],
        start=_time(starts, time_zone, parts["start"]),
        end=_time(ends, time_zone, parts["end"]),
        zone=parts["zone"],
    )


@register.simple_tag
def event_span(event) -> SafeString:
    return time_span(event.starts_at, event.ends_at, event.time_zone)


@register.simple_tag
def event_moment(moment: datetime, time_zone: str) -> SafeString:
    """<time>9 March 2031, 18:00</time> (Brussels time)."""
    return format_html(
        "{} ({})",
        _time(
            moment,
            time_zone,
            timing.date_format(timing.local(moment, time_zone), "DATETIME_FORMAT"),
        ),
        timing.zone_label(time_zone),
    )
