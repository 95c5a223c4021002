"""An event's times the one way people read them: in the event's own time zone, naming it.

"10 March 2031, 10:00-12:00 (Brussels time)" for an event within one day (an en dash between
the times), "10 March 2031, 10:00 - 12 March 2031, 17:00 (Brussels time)" across days, "9 March
2031, 18:00 (Brussels time)" for one moment (a registration deadline). Pages (`events_time` tags), e-mails and PDFs all
use these functions, so a participant never sees a time without its zone or in the server's.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.formats import date_format, time_format
from django.utils.translation import gettext

UNIVERSAL = {"UTC", "Etc/UTC", "GMT", "Etc/GMT"}


def zone_label(time_zone: str) -> str:
    """ "Brussels time" for Europe/Brussels, "New York time" for America/New_York, "UTC"."""
    if time_zone in UNIVERSAL:
        return "UTC"
    city = time_zone.rsplit("/", 1)[-1].replace("_", " ")
    return gettext("%(city)s time") % {"city": city}


def local(moment: datetime, time_zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(time_zone))


def moment_text(moment: datetime, time_zone: str) -> str:
    """One moment: "9 March 2031, 18:00 (Brussels time)"."""
    return "{} ({})".format(
        date_format(local(moment, time_zone), "DATETIME_FORMAT"), zone_label(time_zone)
    )


def span_parts(starts: datetime, ends: datetime, time_zone: str) -> dict[str, str]:
    """The pieces of a span, for the pages that wrap each time in a <time> element."""
    start, end = local(starts, time_zone), local(ends, time_zone)
    same_day = start.date() == end.date()
    return {
        "same_day": same_day,
        "date": date_format(start, "DATE_FORMAT"),
        "start": time_format(start) if same_day else date_format(start, "DATETIME_FORMAT"),
        "end": time_format(end) if same_day else date_format(end, "DATETIME_FORMAT"),
        "zone": zone_label(time_zone),
    }


def span_pattern(same_day: bool) -> str:
    """The span's words around its pieces (str.format / format_html placeholders)."""
    if same_day:
        return gettext("{date}, {start}–{end} ({zone})")
    return gettext("{start} – {end} ({zone})")


def span_text(starts: datetime, ends: datetime, time_zone: str) -> str:
    """From start to end: "10 March 2031, 10:00-12:00 (Brussels time)" within one day."""
    parts = span_parts(starts, ends, time_zone)
    return span_pattern(parts["same_day"]).format(**parts)
