"""Staff forms for events: wall-clock times are read in the event's own time zone."""

from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from calls import files
from calls.forms.call import TIME_ZONE_CHOICES, LocalDateTimeField
from calls.models import Call
from events.models import Event
from events.preconditions import needs_organisation
from events.selectors import open_calls
from events.services import EDITABLE_FIELDS, MATERIAL_FILE_KINDS, MATERIAL_MAX_BYTES

TIMES = ("starts_at", "ends_at", "registration_deadline")


class EventForm(forms.ModelForm):
    starts_at = LocalDateTimeField(label=_("Starts (in the event's time zone)"))
    ends_at = LocalDateTimeField(label=_("Ends (in the event's time zone)"))
    registration_deadline = LocalDateTimeField(
        label=_("Registration deadline (in the event's time zone)")
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to registered participants."),
    )

    class Meta:
        model = Event
        fields = list(EDITABLE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.order_by("-created_at")
        self.fields["call"].help_text = _("An info day shows on this call's public page.")
        if self.instance.pk:
            for name in TIMES:
                value = getattr(self.instance, name)
                self.initial[name] = value.astimezone(self.instance.tz).replace(tzinfo=None)
        else:
            self.fields["time_zone"].initial = "Europe/Brussels"

    def clean(self):
        cleaned = super().clean()
        zone = ZoneInfo(cleaned.get("time_zone") or self.instance.time_zone)
        for name in TIMES:
            if cleaned.get(name) is not None:
                cleaned[name] = cleaned[name].replace(tzinfo=zone)
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        deadline = cleaned.get("registration_deadline")
        if deadline and ends and deadline > ends:
            self.add_error(
                "registration_deadline", _("Registration must close before the event ends.")
            )
        return cleaned

    def _post_clean(self):
        # The model's own checks run in the service (full_clean there), not on the form's copy.
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class MaterialForm(forms.Form):
    """A link or a file (PDF, DOCX or XLSX up to 20 MB, its type read from its content)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(
        label=_("Link"),
        assume_scheme="https",
        required=False,
        help_text=_("Where a recording or the slides are hosted."),
    )
    file = forms.FileField(
        label=_("Or a file"),
        required=False,
        help_text=_("PDF, DOCX or XLSX, at most 20 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > MATERIAL_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        try:
            kind = files.detect_kind(upload)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        if kind not in MATERIAL_FILE_KINDS:
            raise forms.ValidationError(
                _("Upload a PDF, DOCX or XLSX document (checked by content).")
            )
        self.kind = kind
        return upload

    def clean(self):
        cleaned = super().clean()
        if "url" in cleaned and "file" in cleaned and bool(cleaned["url"]) == bool(cleaned["file"]):
            raise forms.ValidationError(_("Give either a link or a file, not both."))
        return cleaned

    def service_data(self) -> dict:
        upload = self.cleaned_data["file"]
        return {
            "title": self.cleaned_data["title"],
            "url": self.cleaned_data["url"],
            "upload": upload,
            "kind": self.kind if upload else "",
        }


class RegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, user, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user
        ).order_by("legal_name")
        self.fields["organisation"].required = needs_organisation(event)


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("Attended"),
        choices=[("yes", _("Attended")), ("no", _("Did not attend"))],
        coerce=lambda value: value == "yes",
    )


class OutcomeForm(forms.Form):
    led_to_consortium = forms.TypedChoiceField(
        label=_("Did this meeting lead to a consortium?"),
        choices=[("yes", _("Yes, we formed a consortium")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
    )


class StartApplicationForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Open call"), queryset=Call.objects.none())

    def __init__(self, *args, event: Event, listed: list[Call] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["call"]
        field.queryset = open_calls()  # what a posted choice is checked against
        if listed is not None:
            # The agenda lists these calls once per meeting: read once, not once a meeting.
            field.choices = [("", field.empty_label), *map(field.iterator(field).choice, listed)]
        if event.call_id:
            self.fields["call"].initial = event.call_id
