"""Forms of the mentoring pages: each bad input answers 400 with the field's message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring.models import ProgressRating
from mentoring.services import MAX_TEXT


def _text(label, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AssignForm(forms.Form):
    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=None,
        help_text=_(
            "Consortium staff, or an expert of the evaluator pool (invite new experts from the "
            "evaluators' page). The mentor declares any conflict of interest before seeing the "
            "project."
        ),
    )
    reason = _text(_("Why the mentor changes (when replacing one)"), required=False, rows=2)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = candidates
        self.fields["mentor"].label_from_instance = lambda user: (
            f"{user.full_name} <{user.email}>" if user.full_name else user.email
        )


class EndForm(forms.Form):
    reason = _text(_("Why the mentoring ends"), rows=2)
    confirm = forms.BooleanField(
        label=_("I confirm: the mentor loses access to the project."),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )


class DeclareForm(forms.Form):
    CHOICES = [
        ("none", _("I have no conflict of interest with this project or its beneficiaries.")),
        ("conflict", _("I have a conflict of interest: I cannot mentor this project.")),
    ]
    declaration = forms.ChoiceField(
        label=_("Your declaration"), choices=CHOICES, widget=forms.RadioSelect
    )
    note = _text(_("If you have a conflict: what it is (read by staff only)"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("declaration") == "conflict" and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say briefly what the conflict is (read by staff only)."))
        return cleaned


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the meeting"), widget=forms.DateInput(attrs={"type": "date"})
    )
    topics = _text(_("Topics"))
    advice = _text(_("Advice given"))
    next_steps = _text(_("Next steps"), required=False)


class ReportForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Progress at this milestone"),
        choices=ProgressRating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    report = _text(_("Report"), rows=6)
    approve = forms.BooleanField(
        label=_(
            "I approve this milestone (final: an instalment that waits for this report becomes "
            "due for payment)."
        ),
        required=False,
    )
