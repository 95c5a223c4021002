"""The directory's query string, read by a django-filter FilterSet (the page and the API alike).

Each facet takes several values, as repeated parameters (`?country=FI&country=SE`) or separated
by commas (`?country=FI,SE`). The filter set validates them, with a human message per parameter,
and documents them in the OpenAPI schema; `directory.search_profiles` does the filtering (ranked
search, facet indexes), so the page and its API answer the same rows for the same query.
"""

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget
from drf_spectacular.utils import extend_schema_field

from accounts.countries import COUNTRIES, normalise_country
from matchmaking import directory, vocab
from matchmaking.models import PartnerProfile

MAX_Q_LENGTH = 200
MAX_VALUES_PER_FACET = 40


class FacetValuesWidget(forms.SelectMultiple):
    """Repeated parameters, each possibly a comma-separated list; blanks and repeats dropped."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        if isinstance(raw, str):
            raw = [raw]
        return [v.strip() for item in raw for v in str(item).split(",") if v.strip()]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data


class FacetValuesField(forms.Field):
    """Values of one facet. `accepts` says whether a (normalised) value is known; an unknown
    one is refused with `invalid_message`, or else by naming the unknown values."""

    widget = FacetValuesWidget
    default_error_messages = {
        "too_many": _("Too many values."),
        "unknown": _("Unknown value: %(values)s."),
    }

    def __init__(
        self,
        *,
        accepts: Callable[[str], bool],
        normalise: Callable[[str], str] = str,
        coerce: Callable[[str], Any] = str,
        invalid_message: str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.accepts, self.normalise, self.coerce = accepts, normalise, coerce
        self.invalid_message = invalid_message

    def to_python(self, value: Any) -> list[str]:
        values = list(value or [])
        if len(values) > MAX_VALUES_PER_FACET:
            raise ValidationError(self.error_messages["too_many"], code="too_many")
        return list(dict.fromkeys(self.normalise(v) for v in values))

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        unknown = [v for v in value if not self.accepts(v)]
        if unknown and self.invalid_message:
            raise ValidationError(self.invalid_message, code="invalid")
        if unknown:
            raise ValidationError(
                self.error_messages["unknown"],
                code="unknown",
                params={"values": ", ".join(unknown)},
            )

    def clean(self, value: Any) -> list[Any]:
        return [self.coerce(v) for v in super().clean(value)]


class YesNoWidget(BooleanWidget):
    """1/true/yes or 0/false/no, in any case."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool | None:
        value = data.get(name)
        if isinstance(value, str):
            value = {"yes": "true", "no": "false"}.get(value.lower(), value)
        return super().value_from_datadict({name: value}, files, name)


class FacetFilter(django_filters.Filter):
    """A facet's values (the filter set's `filter_queryset` filters them all at once)."""

    field_class = FacetValuesField


def _facet(name: str, item_schema: dict[str, Any], **field: Any) -> FacetFilter:
    label = directory.FACET_LABELS[name]
    schema = {
        "type": "array",
        "items": item_schema,
        "description": f"{label} (repeat the parameter or separate values by commas).",
    }
    return extend_schema_field(schema)(FacetFilter(label=label, **field))


def _known(values: list) -> Callable[[str], bool]:
    allowed = {str(v) for v in values}
    return allowed.__contains__


def _is_nuts_code(code: str) -> bool:
    return 2 <= len(code) <= 5 and code.isalnum()


class PartnerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        max_length=MAX_Q_LENGTH,
        error_messages={"max_length": _("Keep the search under %(limit_value)s characters.")},
        help_text=_("Full-text search, ranked by relevance."),
    )
    country = _facet(
        "country",
        {"type": "string"},
        accepts=COUNTRIES.__contains__,
        normalise=normalise_country,
        invalid_message=_("Unknown country code."),
    )
    nuts = _facet(
        "nuts",
        {"type": "string"},
        accepts=_is_nuts_code,
        normalise=str.upper,
        invalid_message=_("A NUTS code has 2 to 5 letters and digits, e.g. FI1D7."),
    )
    stage = _facet(
        "stage", {"type": "string", "enum": vocab.Stage.values}, accepts=_known(vocab.Stage.values)
    )
    sector = _facet(
        "sector",
        {"type": "string", "enum": vocab.Sector.values},
        accepts=_known(vocab.Sector.values),
    )
    material = _facet(
        "material",
        {"type": "string", "enum": vocab.RawMaterial.values},
        accepts=_known(vocab.RawMaterial.values),
    )
    role = _facet(
        "role", {"type": "string", "enum": vocab.Role.values}, accepts=_known(vocab.Role.values)
    )
    trl = _facet(
        "trl",
        {"type": "integer", "minimum": 1, "maximum": 9},
        accepts=_known(list(range(1, 10))),
        coerce=int,
    )
    call = _facet(
        "call",
        {"type": "integer"},
        accepts=str.isdecimal,
        coerce=int,
        invalid_message=_("A call is given by its number."),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(sort, sort) for sort in directory.SORTS],
        error_messages={"invalid_choice": _("Sort by relevance, name or newest.")},
    )
    facets = django_filters.BooleanFilter(
        label=_("Include facet counts"),
        help_text=_("Include facet counts (API only)."),
        widget=YesNoWidget,
    )

    class Meta:
        model = PartnerProfile
        fields: list[str] = []

    def partner_filters(self) -> directory.PartnerFilters:
        """The validated query (call `is_valid()` first)."""
        data = self.form.cleaned_data
        return directory.PartnerFilters(
            q=data["q"],
            **{facet: data[facet] for facet in directory.FACETS},
            sort=data["sort"] or "",
        )

    def wants_facet_counts(self) -> bool:
        return bool(self.form.cleaned_data["facets"])

    def filter_queryset(self, queryset):
        return directory.search_profiles(self.partner_filters(), base=queryset)


def partner_filters(params: Any) -> directory.PartnerFilters:
    """The filters of a query string (a QueryDict or a dict); ValidationError with a message
    per parameter on nonsense."""
    filterset = PartnerFilterSet(params, queryset=PartnerProfile.objects.none())
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.partner_filters()
