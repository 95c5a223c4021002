"""A set of vocabulary codes stored as one integer bit set.

Why not JSON lists or many-to-many tables for the multi-valued facets (stages, sectors, raw
materials)? Filtering must be fast and identical on PostgreSQL and SQLite, and the directory
shows counts for every value of every facet:

- a JSONField list can be filtered with a GIN index on PostgreSQL (``@>``), but SQLite has no
  ``contains`` lookup for JSON, and per-value counts need ``jsonb_array_elements`` /
  ``json_each`` raw SQL that differs per database;
- many-to-many tables work everywhere but cost a join (or an EXISTS) per facet in every search,
  one extra prefetch query per facet in every list, and several hundred thousand link rows at
  100,000 profiles;
- a bit set is one narrow ``bigint`` column on the profile row: "any of these values" is
  ``(column & mask) <> 0`` on both databases, no join, no prefetch; and the counts of ALL the
  values of ALL the bit-set facets come from ONE aggregate query (``COUNT(*) FILTER (WHERE ...)``
  per value, emulated with CASE on SQLite by Django).

In Python the field reads and writes a list of codes (in vocabulary order), so forms, serializers
and services never see the integer. Lookups: ``has_any`` and ``has_all`` take a list of codes.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core import exceptions
from django.db import models
from django.db.models import Lookup
from django.utils.translation import gettext_lazy as _


class FlagSetField(models.BigIntegerField):
    description = _("Set of vocabulary codes")

    def __init__(self, *args: Any, vocabulary: type[models.TextChoices], **kwargs: Any) -> None:
        self.vocabulary = vocabulary
        codes = list(vocabulary.values)
        if len(codes) > 62:
            raise ValueError("A FlagSetField holds at most 62 codes (a signed 64-bit integer).")
        self.bits = {code: 1 << index for index, code in enumerate(codes)}
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    @property
    def validators(self):
        # The integer range validators of BigIntegerField make no sense for a list of codes.
        return list(self._validators)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["vocabulary"] = self.vocabulary
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    # Python <-> database -------------------------------------------------------------------
    def to_mask(self, codes: Iterable[str] | int | None) -> int:
        if codes is None:
            return 0
        if isinstance(codes, int):
            return codes
        if isinstance(codes, str):
            codes = [codes]
        mask = 0
        for code in codes:
            try:
                mask |= self.bits[str(code)]
            except KeyError:
                raise exceptions.ValidationError(
                    _("%(value)s is not a known value."),
                    code="invalid_choice",
                    params={"value": code},
                ) from None
        return mask

    def to_codes(self, mask: int | None) -> list[str]:
        if not mask:
            return []
        return [code for code, bit in self.bits.items() if mask & bit]

    def from_db_value(self, value, expression, connection):
        return self.to_codes(value)

    def to_python(self, value):
        if isinstance(value, int) or value is None:
            return self.to_codes(value)
        codes = list(value)
        self.to_mask(codes)  # validates
        return [code for code in self.bits if code in set(codes)]

    def get_prep_value(self, value):
        if hasattr(value, "resolve_expression"):
            return value
        return self.to_mask(value)

    def validate(self, value, model_instance) -> None:
        self.to_mask(value)
        if not self.blank and not value:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def value_to_string(self, obj) -> str:
        return ",".join(self.value_from_object(obj))

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.vocabulary.choices,
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        defaults.pop("choices_form_class", None)
        defaults.pop("coerce", None)
        defaults.pop("max_value", None)
        defaults.pop("min_value", None)
        return form_class(**defaults)


class _FlagLookup(Lookup):
    prepare_rhs = True

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [self.lhs.output_field.to_mask(value)])


@FlagSetField.register_lookup
class HasAny(_FlagLookup):
    """At least one of the given codes is in the set."""

    lookup_name = "has_any"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"({lhs} & {rhs}) <> 0", [*lhs_params, *rhs_params]


@FlagSetField.register_lookup
class HasAll(_FlagLookup):
    """Every one of the given codes is in the set."""

    lookup_name = "has_all"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"({lhs} & {rhs}) = {rhs}", [*lhs_params, *rhs_params, *rhs_params]
