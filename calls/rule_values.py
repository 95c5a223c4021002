"""A call's rules as plain JSON values, for the ledger entries of its configuration.

The entries of a call's creation, settings changes, list changes (criteria, voucher types,
questions, attachments) and publication carry these values, the changes before and after, so
the ledger alone proves which rules a call was run and evaluated under. Only the call's own
configuration is read: no person, no applicant.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from calls.models import AttachmentRequirement, Call, Criterion, Question, VoucherType

#: The call's fields that set the rules of the game (wording fields are recorded when they
#: change, not in the snapshot).
RULE_FIELDS = (
    "total_budget",
    "cap_per_project",
    "cap_per_third_party",
    "lifetime_cap_per_sme",
    "min_members",
    "max_members",
    "min_countries",
    "require_adopter_and_provider",
    "eligible_countries",
    "time_zone",
    "opens_at",
    "closes_at",
    "total_threshold",
    "evaluators_per_proposal",
    "blind_evaluation",
    "divergence_percent",
    "divergence_points",
    "divergence_settlement",
    "extra_evaluator_rule",
    "tie_break_chain",
    "redress_window_days",
    "instalment_plan",
)

#: The call's configurable lists (the keys of the staff pages) -> their model and fields.
ITEM_FIELDS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "voucher-types": (VoucherType, ("name", "cap_per_sme", "order")),
    "criteria": (Criterion, ("name", "weight", "max_score", "threshold", "order")),
    "questions": (Question, ("label", "char_limit", "required", "criterion", "order")),
    "attachments": (
        AttachmentRequirement,
        ("label", "allowed_types", "max_size_mb", "required", "order"),
    ),
}


def field_value(instance: models.Model, name: str) -> Any:
    """One field as JSON: decimals with the field's places ("60000.00"), date-times in ISO
    8601 in UTC, a related row by its name (a question's criterion), everything else as is."""
    field = instance._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        related = getattr(instance, name)
        return None if related is None else str(related)
    value = getattr(instance, name)
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return format(Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places)), "f")
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def item_values(call: Call, kind: str) -> list[dict[str, Any]]:
    """The rows of one configurable list, in their display order."""
    model, fields = ITEM_FIELDS[kind]
    rows = model.objects.filter(call=call)
    if "criterion" in fields:
        rows = rows.select_related("criterion")
    return [{name: field_value(row, name) for name in fields} for row in rows]


def call_rules(call: Call) -> dict[str, Any]:
    """Every rule of the call: its settings and its configurable lists."""
    return {
        "settings": {name: field_value(call, name) for name in RULE_FIELDS},
        **{kind.replace("-", "_"): item_values(call, kind) for kind in ITEM_FIELDS},
    }
