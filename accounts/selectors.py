"""Reads for accounts: each returns a queryset or object with what its page needs, no N+1."""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import (
    ApiToken,
    ErasureRequest,
    Invitation,
    Membership,
    Organisation,
    SMEDeclaration,
    User,
)


def current_declarations() -> QuerySet[SMEDeclaration]:
    return SMEDeclaration.objects.filter(superseded_at__isnull=True)


def memberships_for_user(user: User) -> QuerySet[Membership]:
    """The person's memberships, each with its organisation and that organisation's current
    SME declaration (``membership.organisation.current_declarations``: a list of 0 or 1)."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "organisation__sme_declarations",
                queryset=current_declarations(),
                to_attr="current_declarations",
            )
        )
        .order_by("organisation__legal_name", "organisation__pk")
    )


def organisation_admins(
    organisations: Iterable[Organisation] | QuerySet[Organisation],
) -> QuerySet[User]:
    """The people who administer any of `organisations` (once each, by e-mail): whom other apps
    notify on an organisation's behalf."""
    return (
        User.objects.filter(
            memberships__organisation__in=organisations, memberships__role=Membership.Role.ADMIN
        )
        .distinct()
        .order_by("email")
    )


def organisations_for_user(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user).order_by("legal_name", "pk")


def pending_invitations_for(user: User) -> QuerySet[Invitation]:
    emails = {user.email.lower()}
    emails.update(
        address.lower()
        for address in user.emailaddress_set.filter(verified=True).values_list("email", flat=True)
    )
    return (
        Invitation.objects.filter(
            email__in=emails,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .exclude(organisation__memberships__user=user)
        .select_related("organisation", "invited_by")
    )


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-role", "user__full_name", "pk")
    )


def invitations_of(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation).select_related("invited_by")


def current_declarations_by_organisation(
    organisations: Iterable[Organisation],
) -> dict[int, SMEDeclaration]:
    """organisation id -> its current SME declaration (absent: none), in one query."""
    return {
        declaration.organisation_id: declaration
        for declaration in current_declarations().filter(
            organisation_id__in=[organisation.pk for organisation in organisations]
        )
    }


def current_declaration(organisation: Organisation) -> SMEDeclaration | None:
    return (
        current_declarations()
        .filter(organisation=organisation)
        .select_related("signed_by")
        .prefetch_related("enterprises")
        .first()
    )


def declaration_history(organisation: Organisation) -> QuerySet[SMEDeclaration]:
    return (
        SMEDeclaration.objects.filter(organisation=organisation)
        .select_related("signed_by")
        .order_by("-version")
    )


def current_sme_category(organisation: Organisation) -> str | None:
    """The class of the current declaration (an `accounts.sme.SMECategory` value), or None."""
    return (
        current_declarations()
        .filter(organisation=organisation)
        .values_list("category", flat=True)
        .first()
    )


def people_with_role(role: str) -> QuerySet[User]:
    """Active people in a role group (`accounts.roles`), e.g. every staff member to notify."""
    return User.objects.filter(groups__name=role, is_active=True).order_by("pk")


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The person's API tokens, newest first, live or not (the page shows each one's state)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def erasure_requests() -> QuerySet[ErasureRequest]:
    """Every erasure request, newest first, with its pseudonymised account (staff list)."""
    return ErasureRequest.objects.select_related("user").order_by("-requested_at", "-pk")
