"""The filter form of the staff application list."""

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRY_CHOICES
from calls.models import ApplicationState, VoucherType
from minegap.core.widgets import Select

SORT_CHOICES = [
    ("reference", _("Reference")),
    ("-submitted", _("Latest submitted first")),
    ("submitted", _("Earliest submitted first")),
    ("title", _("Title A–Z")),
    ("-requested", _("Largest request first")),
    ("requested", _("Smallest request first")),
]


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    # Drawn in Python (minegap.core.widgets): the list is drawn on every visit (issue #15).
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any")), *ApplicationState.choices],
        widget=Select,
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=[("", _("Any")), *COUNTRY_CHOICES],
        widget=Select,
    )
    voucher_type = forms.TypedChoiceField(
        label=_("Voucher type"), required=False, coerce=int, empty_value=None, widget=Select
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=SORT_CHOICES, widget=Select
    )

    def __init__(self, *args, voucher_types: Iterable[VoucherType], **kwargs):
        """`voucher_types`: the call's, in their order."""
        super().__init__(*args, **kwargs)
        self.fields["voucher_type"].choices = [("", _("Any"))] + [
            (v.pk, v.name) for v in voucher_types
        ]

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "search": data.get("q") or "",
            "state": data.get("state") or "",
            "country": data.get("country") or "",
            "voucher_type": data.get("voucher_type"),
            "sort": data.get("sort") or "reference",
        }


class ListFormatForm(forms.Form):
    """How the list is answered: the page (no `format`) or a CSV file (`format=csv`)."""

    format = forms.ChoiceField(
        required=False,
        choices=[("", _("Page")), ("csv", "CSV")],
        error_messages={
            "invalid_choice": _(
                "Unknown format “%(value)s”: the list is exported as CSV (format=csv)."
            )
        },
    )
