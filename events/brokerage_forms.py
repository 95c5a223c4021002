"""Forms of the brokerage pages: wall-clock times are read in the event's own time zone."""

import re
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events import timing
from events.brokerage import MAX_TABLES
from events.brokerage_grid import Slot
from events.models import Event


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search the participants"), max_length=200, required=False)


class MeetingRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you would like to discuss (optional)."),
    )


class BrokerageProfileForm(forms.Form):
    offer = forms.CharField(
        label=_("What we offer"), max_length=2000, required=False, widget=forms.Textarea
    )
    seek = forms.CharField(
        label=_("What we seek"), max_length=2000, required=False, widget=forms.Textarea
    )

    def clean(self):
        data = super().clean()
        if not (data.get("offer", "").strip() or data.get("seek", "").strip()):
            raise ValidationError(_("Say what you offer or what you seek."))
        return data


class AvailabilityForm(forms.Form):
    slots = forms.TypedMultipleChoiceField(
        label=_("I can attend meetings at"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one slot you can attend.")},
    )

    def __init__(self, *args, slots: list[Slot], event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slots"].choices = [
            (s.index, timing.span_text(s.starts_at, s.ends_at, event.time_zone)) for s in slots
        ]


SESSION_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$")


class BrokerageSettingsForm(forms.Form):
    meeting_minutes = forms.IntegerField(
        label=_("Meeting length (minutes)"), min_value=5, max_value=240, initial=20
    )
    tables = forms.IntegerField(
        label=_("Number of tables"), min_value=1, max_value=MAX_TABLES, initial=10
    )
    sessions = forms.CharField(
        label=_("Meeting sessions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line, in the event's time zone, e.g. “2027-03-10 10:00-12:30”. "
            "Leave empty: meetings run across the whole event."
        ),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_sessions(self) -> list[tuple[datetime, datetime]]:
        windows = []
        for number, line in enumerate(self.cleaned_data["sessions"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            match = SESSION_LINE.match(line)
            try:
                if match is None:
                    raise ValueError(line)
                day, start, end = match.groups()
                windows.append(
                    (
                        datetime.fromisoformat(f"{day} {start:0>5}").replace(tzinfo=self.event.tz),
                        datetime.fromisoformat(f"{day} {end:0>5}").replace(tzinfo=self.event.tz),
                    )
                )
            except ValueError as error:
                raise ValidationError(
                    _("Line %(number)d is not a session like “2027-03-10 10:00-12:30”."),
                    params={"number": number},
                ) from error
        return windows
