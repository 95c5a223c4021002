"""Writes for accounts: organisations, memberships, invitations and SME declarations.

Every function validates, checks permission, runs in one transaction and records a ledger entry
as its last step. Errors are Django ``ValidationError`` (with field names where a form shows them)
or ``PermissionDenied``.
"""

import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.countries import COUNTRIES, country_name
from accounts.models import (
    Invitation,
    Membership,
    Organisation,
    RelatedEnterpriseRow,
    SMEDeclaration,
    User,
)
from accounts.rules import is_organisation_admin
from accounts.sme import PARTNER_MAX_HOLDING, PARTNER_MIN_HOLDING, classify_sme
from accounts.validators import (
    normalise_vat,
    validate_founding_year,
    validate_nuts,
    validate_pic,
)
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

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
INVITATION_VALID_FOR = timedelta(days=14)


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
        changes = {
            key: [str(getattr(organisation, key) or ""), str(value or "")]
            for key, value in cleaned.items()
            if getattr(organisation, key) != value
        }
        for key, value in cleaned.items():
            setattr(organisation, key, value)
        _save_organisation(organisation)
        if changes:
            record(
                action="accounts.organisation.updated",
                target=organisation,
                actor=user,
                data={"changes": changes},
            )
    return organisation


# Memberships -----------------------------------------------------------------------------------


def _lock_admins(organisation: Organisation) -> dict[int, int]:
    """Lock the organisation's admin memberships; return {membership id: user id}.

    Every change that could leave an organisation without an administrator takes these locks
    first, then re-checks the actor's rights and the last-admin rule on what it locked.
    """
    return dict(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Membership.Role.ADMIN)
        .order_by("pk")
        .values_list("pk", "user_id")
    )


def membership_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError({"role": [_("Choose administrator or member.")]})
    if not is_organisation_admin(actor, membership.organisation):
        raise PermissionDenied(_("Only the organisation's administrators can change roles."))
    with transaction.atomic():
        admins = _lock_admins(membership.organisation)
        if actor.pk not in admins.values():
            raise PermissionDenied(_("Only the organisation's administrators can change roles."))
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.role == role:
            return membership
        if membership.role == Membership.Role.ADMIN and list(admins) == [membership.pk]:
            raise ValidationError(
                _(
                    "%(name)s is the last administrator of %(org)s: make someone else an "
                    "administrator first."
                )
                % {"name": membership.user, "org": membership.organisation}
            )
        previous, membership.role = membership.role, role
        membership.save(update_fields=["role"])
        record(
            action="accounts.membership.role_changed",
            target=membership,
            actor=actor,
            data={
                "organisation": membership.organisation_id,
                "user": membership.user_id,
                "from": previous,
                "to": role,
            },
        )
    return membership


def membership_remove(*, membership: Membership, actor: User) -> None:
    """An admin removes a member, or a member leaves; never the last administrator."""
    leaving = membership.user_id == actor.pk
    if not leaving and not is_organisation_admin(actor, membership.organisation):
        raise PermissionDenied(_("Only the organisation's administrators can remove members."))
    with transaction.atomic():
        admins = _lock_admins(membership.organisation)
        if not leaving and actor.pk not in admins.values():
            raise PermissionDenied(_("Only the organisation's administrators can remove members."))
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if list(admins) == [membership.pk]:
            raise ValidationError(
                _(
                    "%(name)s is the last administrator of %(org)s and cannot leave or be "
                    "removed: make someone else an administrator first."
                )
                % {"name": membership.user, "org": membership.organisation}
            )
        data = {
            "organisation": membership.organisation_id,
            "user": membership.user_id,
            "role": membership.role,
            "left": leaving,
        }
        organisation = membership.organisation
        membership.delete()
        record(action="accounts.membership.removed", target=organisation, actor=actor, data=data)


# Invitations -----------------------------------------------------------------------------------


def invitation_send(
    *, organisation: Organisation, inviter: User, email: str, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Invite a colleague by e-mail (replaces any pending invitation to the same address)."""
    if not is_organisation_admin(inviter, organisation):
        raise PermissionDenied(_("Only the organisation's administrators can invite people."))
    email = (email or "").strip().lower()
    errors: dict[str, list] = {}
    try:
        User._meta.get_field("email").run_validators(email)
        if not email:
            raise ValidationError(_("Enter an e-mail address."))
    except ValidationError as exc:
        errors["email"] = exc.messages
    if role not in Membership.Role.values:
        errors["role"] = [_("Choose administrator or member.")]
    if not errors and organisation.memberships.filter(user__email__iexact=email).exists():
        errors["email"] = [_("%(email)s is already a member.") % {"email": email}]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            organisation=organisation,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token=secrets.token_urlsafe(32),
            invited_by=inviter,
            expires_at=now + INVITATION_VALID_FOR,
        )
        enqueue(
            template="accounts/invitation",
            subject=_("%(name)s invites you to join %(org)s on MineGap")
            % {"name": inviter, "org": organisation.legal_name},
            recipients=[email],
            context={
                "inviter": str(inviter),
                "organisation": organisation.legal_name,
                "role": str(Membership.Role(role).label),
                "accept_url": settings.SITE_URL.rstrip("/")
                + reverse("accounts:invitation-accept", args=[invitation.token]),
                "expires_at": invitation.expires_at.date(),
            },
        )
        record(
            action="accounts.invitation.sent",
            target=invitation,
            actor=inviter,
            data={"organisation": organisation.pk, "email": email, "role": role},
        )
    return invitation


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    if not is_organisation_admin(actor, invitation.organisation):
        raise PermissionDenied(_("Only the organisation's administrators can revoke invitations."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise ValidationError(_("This invitation is no longer pending."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record(
            action="accounts.invitation.revoked",
            target=invitation,
            actor=actor,
            data={"organisation": invitation.organisation_id, "email": invitation.email},
        )
    return invitation


def user_has_email(user: User, email: str) -> bool:
    """The account's login e-mail or one of its verified addresses (allauth)."""
    if user.email.lower() == email.lower():
        return True
    return user.emailaddress_set.filter(email__iexact=email, verified=True).exists()


def invitation_accept(*, token: str, user: User) -> Membership:
    """Accept an invitation while signed in with the invited e-mail: creates the membership."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation")
            .filter(token=token)
            .first()
        )
        if invitation is None:
            raise ValidationError(_("This invitation link is not valid."))
        status = invitation.status
        if status != Invitation.Status.PENDING:
            raise ValidationError(
                _("This invitation is %(status)s.")
                % {"status": invitation.get_status_display().lower()}
            )
        if not user_has_email(user, invitation.email):
            raise PermissionDenied(
                _(
                    "This invitation was sent to %(email)s: sign in with that e-mail address "
                    "to accept it."
                )
                % {"email": invitation.email}
            )
        if Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
            raise ValidationError(_("You are already a member of this organisation."))
        membership = Membership.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record(
            action="accounts.invitation.accepted",
            target=invitation,
            actor=user,
            data={"organisation": invitation.organisation_id, "membership": membership.pk},
        )
        record(
            action="accounts.membership.added",
            target=membership,
            actor=user,
            data={
                "organisation": invitation.organisation_id,
                "user": user.pk,
                "role": membership.role,
                "invitation": invitation.pk,
            },
        )
    return membership


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
