"""Query-string filters of the staff applications API (django-filter).

The filter set validates the query string and documents it in the OpenAPI schema; the selector
(`selectors.staff_application_rows`, shared with the staff page) filters and sorts.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRIES, normalise_country
from calls import selectors
from calls.models import Application, ApplicationState


class CountryCodeField(forms.CharField):
    """An ISO code of an eligible country, in any case (`se`, `SE`; EL for Greece)."""

    default_error_messages = {"invalid": _("Unknown country code.")}

    def to_python(self, value: Any) -> str:
        return normalise_country(super().to_python(value))

    def validate(self, value: str) -> None:
        super().validate(value)
        if value and value not in COUNTRIES:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class CountryCodeFilter(django_filters.CharFilter):
    field_class = CountryCodeField


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


VOUCHER_TYPE_MESSAGE = _("voucher_type must be a number.")


class StaffApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=100, help_text=_("Search reference, title, acronym, lead.")
    )
    state = django_filters.ChoiceFilter(
        choices=ApplicationState.choices, error_messages={"invalid_choice": _("Unknown state.")}
    )
    country = CountryCodeFilter(help_text=_("ISO code of any confirmed member."))
    voucher_type = IntegerFilter(
        min_value=0,
        error_messages={"invalid": VOUCHER_TYPE_MESSAGE, "min_value": VOUCHER_TYPE_MESSAGE},
        help_text=_("Id of one of the call's voucher types."),
    )
    sort = django_filters.ChoiceFilter(
        choices=[(key, key) for key in selectors.STAFF_SORTS],
        error_messages={"invalid_choice": _("Unknown sort order “%(value)s”.")},
    )

    def filter_queryset(self, queryset: QuerySet[Application]) -> QuerySet[Application]:
        data = self.form.cleaned_data
        return selectors.staff_application_rows(
            queryset,
            search=data["q"],
            state=data["state"],
            country=data["country"],
            voucher_type=data["voucher_type"],
            sort=data["sort"] or "reference",
        )
