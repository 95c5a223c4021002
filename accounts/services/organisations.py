"""Registering and editing organisations (VAT, NUTS, PIC and founding year checked here)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.countries import COUNTRIES, country_name
from accounts.models import (
    Membership,
    Organisation,
    User,
)
from accounts.rules import is_organisation_admin
from accounts.validators import (
    normalise_vat,
    validate_founding_year,
    validate_nuts,
    validate_pic,
)
from minegap.ledger.services import record

FREE_TEXT_FIELDS = frozenset({"description"})
ORGANISATION_FIELDS = (
    "legal_name",
    "short_name",
    "country",
    "nuts_region",
    "vat_number",
    "pic",
    "website",
    "type",
    "founding_year",
    "description",
)
# Organisations ---------------------------------------------------------------------------------


def organisation_clean(*, data: dict[str, Any], instance: Organisation | None = None) -> dict:
    """Validate and normalise organisation fields; raise one ValidationError naming every field."""
    cleaned = {key: data.get(key) for key in ORGANISATION_FIELDS if key in data}
    for key in ("legal_name", "short_name", "nuts_region", "vat_number", "pic", "website"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    errors: dict[str, list] = {}
    country = cleaned.get("country", instance.country if instance else "")
    if not cleaned.get("legal_name", instance.legal_name if instance else ""):
        errors.setdefault("legal_name", []).append(_("Enter the organisation's legal name."))
    if country not in COUNTRIES:
        errors.setdefault("country", []).append(_("Choose an eligible country."))
    else:
        checks = (
            ("vat_number", lambda v: normalise_vat(country=country, vat_number=v)),
            ("nuts_region", lambda v: validate_nuts(country=country, nuts_region=v)),
        )
        for key, check in checks:
            value = cleaned.get(key, getattr(instance, key) if instance else "")
            try:
                cleaned[key] = check(value)
            except ValidationError as exc:
                errors.setdefault(key, []).extend(exc.messages)
    if "pic" in cleaned:
        try:
            cleaned["pic"] = validate_pic(cleaned["pic"])
        except ValidationError as exc:
            errors.setdefault("pic", []).extend(exc.messages)
    if "founding_year" in cleaned:
        try:
            cleaned["founding_year"] = validate_founding_year(cleaned["founding_year"])
        except ValidationError as exc:
            errors.setdefault("founding_year", []).extend(exc.messages)
    if not errors and cleaned.get("vat_number"):
        duplicates = Organisation.objects.filter(country=country, vat_number=cleaned["vat_number"])
        if instance is not None:
            duplicates = duplicates.exclude(pk=instance.pk)
        if duplicates.exists():
            errors["vat_number"] = [
                _(
                    "An organisation with VAT number %(vat)s is already registered in "
                    "%(country)s: ask its administrator to invite you."
                )
                % {"vat": cleaned["vat_number"], "country": country_name(country)}
            ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save_organisation(organisation: Organisation) -> None:
    organisation.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:  # a concurrent registration of the same VAT number
        raise ValidationError(
            {"vat_number": [_("This VAT number was registered a moment ago by someone else.")]}
        ) from exc


def organisation_create(*, user: User, data: dict[str, Any]) -> Organisation:
    """Register an organisation; its creator becomes its first administrator."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to register an organisation."))
    cleaned = organisation_clean(data=data)
    with transaction.atomic():
        organisation = Organisation(**cleaned)
        _save_organisation(organisation)
        membership = Membership.objects.create(
            user=user, organisation=organisation, role=Membership.Role.ADMIN
        )
        record(
            action="accounts.organisation.created",
            target=organisation,
            actor=user,
            data={
                "legal_name": organisation.legal_name,
                "country": organisation.country,
                "vat_number": organisation.vat_number,
                "admin": user.pk,
            },
        )
        record(
            action="accounts.membership.added",
            target=membership,
            actor=user,
            data={"organisation": organisation.pk, "user": user.pk, "role": membership.role},
        )
    return organisation


def organisation_update(
    *, organisation: Organisation, user: User, data: dict[str, Any]
) -> Organisation:
    if not is_organisation_admin(user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can edit it."))
    cleaned = organisation_clean(data=data, instance=organisation)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = [key for key, value in cleaned.items() if getattr(organisation, key) != value]
        # Free texts a person wrote go to the ledger's erasable notes, not its hashed data.
        changes = {
            key: [str(getattr(organisation, key) or ""), str(cleaned[key] or "")]
            for key in changed
            if key not in FREE_TEXT_FIELDS
        }
        texts = {key: str(cleaned[key] or "") for key in changed if key in FREE_TEXT_FIELDS}
        for key, value in cleaned.items():
            setattr(organisation, key, value)
        _save_organisation(organisation)
        if changed:
            record(
                action="accounts.organisation.updated",
                target=organisation,
                actor=user,
                data={"changes": changes, "texts_changed": sorted(texts)},
                notes=texts,
            )
    return organisation
