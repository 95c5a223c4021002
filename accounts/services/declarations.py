"""SME self-declarations: validated, classified, versioned (a new one supersedes the current)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    Organisation,
    RelatedEnterpriseRow,
    SMEDeclaration,
    User,
)
from accounts.rules import is_organisation_admin
from accounts.sme import PARTNER_MAX_HOLDING, PARTNER_MIN_HOLDING, classify_sme
from minegap.ledger.services import record

# SME declarations ------------------------------------------------------------------------------

DECLARATION_MONEY = ("annual_turnover", "balance_sheet_total")


def _decimal(value: Any, *, field: str, errors: dict, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip()) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors.setdefault(field, []).append(_("Enter a number."))
        return Decimal(0)
    if not low <= number <= high:
        errors.setdefault(field, []).append(
            _("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high}
        )
    if number != number.quantize(Decimal("0.01")):
        errors.setdefault(field, []).append(_("Use at most two decimal places."))
    return number


MAX_MONEY = Decimal("9999999999.99")
MAX_STAFF = Decimal("9999999.99")


def sme_declaration_clean(
    *, data: dict[str, Any], enterprises: list[dict[str, Any]]
) -> tuple[dict, list[dict], list[dict]]:
    """Validate a declaration and its rows; returns (fields, rows, row_errors) or raises."""
    errors: dict[str, list] = {}
    fields = {
        "staff_headcount": _decimal(
            data.get("staff_headcount"),
            field="staff_headcount",
            errors=errors,
            low=Decimal(0),
            high=MAX_STAFF,
        ),
        "public_body_holding": _decimal(
            data.get("public_body_holding") or 0,
            field="public_body_holding",
            errors=errors,
            low=Decimal(0),
            high=Decimal(100),
        ),
        "enterprise_category": data.get("enterprise_category"),
    }
    for key in DECLARATION_MONEY:
        fields[key] = _decimal(
            data.get(key), field=key, errors=errors, low=Decimal(0), high=MAX_MONEY
        )
    year = data.get("reference_year")
    this_year = timezone.now().year
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    if year is None or not this_year - 3 <= year <= this_year:
        errors["reference_year"] = [
            _("Enter the year of the last approved accounts (%(low)s to %(high)s).")
            % {"low": this_year - 3, "high": this_year}
        ]
    fields["reference_year"] = year
    category = fields["enterprise_category"]
    if category not in SMEDeclaration.EnterpriseCategory.values:
        errors["enterprise_category"] = [_("Choose autonomous, partner or linked.")]

    rows, row_errors = [], []
    for raw in enterprises:
        row_error: dict[str, list] = {}
        relation = raw.get("relation")
        row = {
            "relation": relation,
            "name": (raw.get("name") or "").strip(),
            "holding_percent": _decimal(
                raw.get("holding_percent"),
                field="holding_percent",
                errors=row_error,
                low=Decimal("0.01"),
                high=Decimal(100),
            ),
            "staff_headcount": _decimal(
                raw.get("staff_headcount"),
                field="staff_headcount",
                errors=row_error,
                low=Decimal(0),
                high=MAX_STAFF,
            ),
        }
        for key in DECLARATION_MONEY:
            row[key] = _decimal(
                raw.get(key), field=key, errors=row_error, low=Decimal(0), high=MAX_MONEY
            )
        if relation not in RelatedEnterpriseRow.Relation.values:
            row_error.setdefault("relation", []).append(_("Choose partner or linked."))
        if not row["name"]:
            row_error.setdefault("name", []).append(_("Enter the enterprise's name."))
        if (
            relation == RelatedEnterpriseRow.Relation.PARTNER
            and "holding_percent" not in row_error
            and not PARTNER_MIN_HOLDING <= row["holding_percent"] <= PARTNER_MAX_HOLDING
        ):
            row_error.setdefault("holding_percent", []).append(
                _("A partner enterprise is held between 25 % and 50 %; above 50 % it is linked.")
            )
        rows.append(row)
        row_errors.append(row_error)

    relations = {row["relation"] for row in rows}
    if category == SMEDeclaration.EnterpriseCategory.AUTONOMOUS and rows:
        errors.setdefault("enterprise_category", []).append(
            _("An autonomous enterprise has no partner or linked enterprises: remove the rows.")
        )
    if category == SMEDeclaration.EnterpriseCategory.PARTNER and (
        RelatedEnterpriseRow.Relation.PARTNER not in relations
        or RelatedEnterpriseRow.Relation.LINKED in relations
    ):
        errors.setdefault("enterprise_category", []).append(
            _("A partner enterprise lists at least one partner and no linked enterprise.")
        )
    if category == SMEDeclaration.EnterpriseCategory.LINKED and (
        RelatedEnterpriseRow.Relation.LINKED not in relations
    ):
        errors.setdefault("enterprise_category", []).append(
            _("A linked enterprise lists at least one linked enterprise.")
        )
    if errors or any(row_errors):
        exc = ValidationError(errors or {"enterprises": [_("Correct the enterprise rows.")]})
        exc.row_errors = row_errors
        raise exc
    return fields, rows, row_errors


def sme_declaration_sign(
    *,
    organisation: Organisation,
    user: User,
    data: dict[str, Any],
    enterprises: list[dict[str, Any]] | None = None,
) -> SMEDeclaration:
    """File a new declaration, classified; it supersedes the current one (all versions kept)."""
    if not is_organisation_admin(user, organisation):
        raise PermissionDenied(_("Only an administrator can sign the SME declaration."))
    fields, rows, _row_errors = sme_declaration_clean(data=data, enterprises=enterprises or [])
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        now = timezone.now()
        previous = (
            SMEDeclaration.objects.filter(organisation=organisation).order_by("-version").first()
        )
        SMEDeclaration.objects.filter(organisation=organisation, superseded_at__isnull=True).update(
            superseded_at=now
        )
        declaration = SMEDeclaration(
            organisation=organisation,
            version=(previous.version + 1) if previous else 1,
            signed_by=user,
            signed_at=now,
            **fields,
        )
        related = [RelatedEnterpriseRow(**row).as_related() for row in rows]
        result = classify_sme(
            staff=fields["staff_headcount"],
            turnover=fields["annual_turnover"],
            balance_sheet=fields["balance_sheet_total"],
            related=related,
            public_body_holding=fields["public_body_holding"],
        )
        declaration.category = result.category
        declaration.save()
        RelatedEnterpriseRow.objects.bulk_create(
            [RelatedEnterpriseRow(declaration=declaration, **row) for row in rows]
        )
        record(
            action="accounts.sme_declaration.signed",
            target=declaration,
            actor=user,
            data={
                "organisation": organisation.pk,
                "version": declaration.version,
                "category": declaration.category,
                "staff_headcount": fields["staff_headcount"],
                "annual_turnover": fields["annual_turnover"],
                "balance_sheet_total": fields["balance_sheet_total"],
                "public_body_holding": fields["public_body_holding"],
                "enterprises": len(rows),
            },
        )
    return declaration
