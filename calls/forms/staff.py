"""The filter form of the staff application list."""

import threading
from collections import OrderedDict
from collections.abc import Iterable

from django import forms
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
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


#: How many drawings of the filter form's fields a process keeps (a few KB each).
DRAWN_FIELDS_KEPT = 256
_drawn: OrderedDict[tuple, SafeString] = OrderedDict()
_drawn_lock = threading.Lock()


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
        self._voucher_types = tuple((v.pk, v.name) for v in voucher_types)
        self.fields["voucher_type"].choices = [("", _("Any")), *self._voucher_types]

    def drawn_fields(self) -> SafeString:
        """Each field in its `<div class="form-row">`, as `{{ field.as_field_group }}` draws it
        (label, errors, widget).

        Django's templates take about 2 ms to draw these five fields (issue #15), on every visit
        of every page of the list; the HTML depends only on the language, the call's voucher
        types and the values the query string gives the fields (their errors follow from
        those), so each such combination is drawn once per process (the latest few hundred)."""
        key = (
            get_language(),
            self._voucher_types,
            self.is_bound,
            tuple(field.data for field in self),
        )
        with _drawn_lock:
            html = _drawn.get(key)
            if html is not None:
                _drawn.move_to_end(key)
                return html
        html = mark_safe(  # noqa: S308 - each group is Django's own (escaped) HTML
            "".join(f'<div class="form-row">{field.as_field_group()}</div>' for field in self)
        )
        with _drawn_lock:
            _drawn[key] = html
            while len(_drawn) > DRAWN_FIELDS_KEPT:
                _drawn.popitem(last=False)
        return html

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
