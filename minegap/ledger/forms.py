"""The staff ledger browser's filter form (GET)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditEntryFilterForm(forms.Form):
    ORDER_CHOICES = [("newest", _("Newest first")), ("oldest", _("Oldest first"))]

    action = forms.CharField(
        label=_("Action starts with"),
        required=False,
        max_length=100,
        help_text=_("For example calls. or calls.application.submitted"),
    )
    target_type = forms.ChoiceField(label=_("Target type"), required=False)
    target_id = forms.CharField(label=_("Target id"), required=False, max_length=64)
    actor = forms.CharField(label=_("Actor (name or e-mail)"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    order = forms.ChoiceField(label=_("Order"), required=False, choices=ORDER_CHOICES)

    def __init__(self, *args, target_types: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = [("", _("Any"))] + [(t, t) for t in target_types]

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return cleaned

    def filters(self) -> dict:
        """Selector arguments from the valid fields (an invalid form filters nothing)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "action": data["action"].strip(),
            "target_type": data["target_type"],
            "target_id": data["target_id"].strip(),
            "actor": data["actor"].strip(),
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "newest_first": data["order"] != "oldest",
        }
