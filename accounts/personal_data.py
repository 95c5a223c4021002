"""What the accounts app holds about a person, for the "My data" download.

The account, its e-mail addresses and second factors (never a secret), the memberships, the SME
declarations the person signed, the API tokens (never their digest) and the requests made with
them. Other people are not named: an organisation's other members are theirs to export.
"""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from accounts.models import ApiToken, ApiTokenUse, Membership, SMEDeclaration, User
from accounts.roles import ROLE_LABELS
from minegap.core.personal_data import ExportSection, plain


def _organisation(organisation) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "legal_name": organisation.legal_name,
        "country": organisation.country,
    }


def _account(user: User) -> dict[str, Any]:
    groups = sorted(user.groups.values_list("name", flat=True))
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "roles": [str(ROLE_LABELS.get(name, name)) for name in groups],
    }


def _email_addresses(user: User) -> list[dict[str, Any]]:
    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("email")
    ]


def _second_factors(user: User) -> list[dict[str, Any]]:
    return [
        {"type": factor.type, "created_at": factor.created_at, "last_used_at": factor.last_used_at}
        for factor in Authenticator.objects.filter(user=user).order_by("created_at", "pk")
    ]


def _memberships(user: User) -> list[dict[str, Any]]:
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
    return [
        {
            "organisation": _organisation(m.organisation),
            "role": m.role,
            "joined_at": m.created_at,
        }
        for m in memberships
    ]


def _declarations_signed(user: User) -> list[dict[str, Any]]:
    declarations = (
        SMEDeclaration.objects.filter(signed_by=user)
        .select_related("organisation")
        .prefetch_related("enterprises")
        .order_by("signed_at", "pk")
    )
    return [
        {
            "organisation": _organisation(d.organisation),
            "version": d.version,
            "reference_year": d.reference_year,
            "staff_headcount": d.staff_headcount,
            "annual_turnover": d.annual_turnover,
            "balance_sheet_total": d.balance_sheet_total,
            "enterprise_category": d.enterprise_category,
            "public_body_holding": d.public_body_holding,
            "sme_class": d.category,
            "related_enterprises": [
                {
                    "relation": row.relation,
                    "name": row.name,
                    "holding_percent": row.holding_percent,
                    "staff_headcount": row.staff_headcount,
                    "annual_turnover": row.annual_turnover,
                    "balance_sheet_total": row.balance_sheet_total,
                }
                for row in d.enterprises.all()
            ],
            "signed_at": d.signed_at,
            "superseded_at": d.superseded_at,
        }
        for d in declarations
    ]


def _api_tokens(user: User) -> list[dict[str, Any]]:
    uses: dict[int, list[dict[str, Any]]] = {}
    for use in ApiTokenUse.objects.filter(token__user=user).order_by("at", "pk"):
        uses.setdefault(use.token_id, []).append(
            {
                "at": use.at,
                "method": use.method,
                "path": use.path,
                "client_address": use.client_address,
            }
        )
    return [
        {
            "name": token.name,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
            "revoked_at": token.revoked_at,
            "last_used_at": token.last_used_at,
            "created_after_second_factor": token.mfa_verified,
            "uses": uses.get(token.pk, []),
        }
        for token in ApiToken.objects.filter(user=user).order_by("created_at", "pk")
    ]


def export(user: User) -> dict[str, Any]:
    return plain(
        {
            "account": _account(user),
            "email_addresses": _email_addresses(user),
            "second_factors": _second_factors(user),
            "memberships": _memberships(user),
            "sme_declarations_signed": _declarations_signed(user),
            "api_tokens": _api_tokens(user),
        }
    )


def section() -> ExportSection:
    return ExportSection(name="accounts", export=export)
