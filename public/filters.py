"""Filters of the public lists, shared by the pages and the open-data API (django-filter).

The filter sets validate the query string; the selectors do the filtering, so a page and its
API answer the same rows for the same query.
"""

import functools
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.countries import COUNTRY_CHOICES
from matchmaking import vocab
from public import selectors

PROJECT_SORT_CHOICES = [
    ("-date", _("Newest award first")),
    ("date", _("Oldest award first")),
    ("-amount", _("Largest amount first")),
    ("amount", _("Smallest amount first")),
    ("acronym", _("Acronym A-Z")),
    ("-acronym", _("Acronym Z-A")),
    ("call", _("Call")),
]
BENEFICIARY_SORT_CHOICES = [
    ("name", _("Name A-Z")),
    ("-name", _("Name Z-A")),
    ("-amount", _("Largest amount first")),
    ("amount", _("Smallest amount first")),
    ("country", _("Country")),
    ("project", _("Project")),
]


class _SelectorFilterSet(django_filters.FilterSet):
    """Validates with django-filter, then hands the cleaned values to a selector.

    The filters both lists share come first (their order is the form's and the API schema's).
    """

    search = django_filters.CharFilter(label=_("Search"), max_length=100)
    call = django_filters.CharFilter(label=_("Call"), max_length=80)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=COUNTRY_CHOICES)

    @property
    def form(self):
        # The list offers only the countries that have beneficiaries (48 choices for 9 with
        # data helped nobody); the field still validates against every country, so a bookmarked
        # query of a country without beneficiaries says "no result" rather than "invalid".
        if not hasattr(self, "_form"):
            form = super().form
            field = form.fields["country"]
            selected = self.data.get("country")

            @functools.cache
            def offered() -> list[tuple[str, str]]:
                # Called when the select is drawn (once): the API validates without this query.
                codes = set(selectors.beneficiary_countries()) | {selected}
                return [("", field.empty_label)] + [
                    (code, name) for code, name in COUNTRY_CHOICES if code in codes
                ]

            field.widget.choices = offered
        return self._form

    def selector_kwargs(self) -> dict[str, Any]:
        return {key: value for key, value in self.form.cleaned_data.items() if value}

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.select(**self.selector_kwargs())

    def select(self, **kwargs: Any) -> QuerySet:  # pragma: no cover - overridden
        raise NotImplementedError


class ProjectFilter(_SelectorFilterSet):
    voucher_type = django_filters.CharFilter(label=_("Voucher type"), max_length=100)
    stage = django_filters.ChoiceFilter(label=_("Value-chain stage"), choices=vocab.Stage.choices)
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=vocab.Sector.choices)
    crm = django_filters.ChoiceFilter(
        label=_("Critical raw material"), choices=vocab.RawMaterial.choices
    )
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=PROJECT_SORT_CHOICES)

    def select(self, **kwargs: Any) -> QuerySet:
        return selectors.funded_projects(**kwargs)


class BeneficiaryFilter(_SelectorFilterSet):
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=BENEFICIARY_SORT_CHOICES)

    def select(self, **kwargs: Any) -> QuerySet:
        return selectors.beneficiaries(**kwargs)
