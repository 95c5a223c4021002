"""Memberships and invitations; an organisation always keeps at least one administrator."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    Invitation,
    Membership,
    Organisation,
    User,
)
from accounts.rules import is_organisation_admin
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

INVITATION_VALID_FOR = timedelta(days=14)


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
            data={"organisation": organisation.pk, "role": role},
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
            data={"organisation": invitation.organisation_id},
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
