"""Services for the consortium: invitations, confirmation, budget shares, declarations."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.rules import is_organisation_admin
from accounts.selectors import organisation_admins
from calls.models import Application, ApplicationState, ConsortiumMember, MemberRole, MemberStatus
from calls.rules import is_lead_admin, is_member_admin
from calls.services.applications import (
    ensure_editable,
    lock_application,
    lock_member,
    mark_changed,
)
from minegap.ledger.services import record
from minegap.notifications.services import enqueue


def _ensure_room(application: Application) -> None:
    active = application.members.filter(
        status__in=[MemberStatus.INVITED, MemberStatus.CONFIRMED]
    ).count()
    if active >= application.call.max_members:
        raise ValidationError(
            _("The consortium already has the maximum of %(n)s members.")
            % {"n": application.call.max_members}
        )


def _send_invitation(
    application: Application, member: ConsortiumMember, template: str, recipients: list
) -> None:
    """The invitation e-mail, to a registered organisation's admins or to an address."""
    enqueue(
        template=template,
        subject=_("%(lead)s invites you to apply together")
        % {"lead": application.lead_organisation},
        recipients=recipients,
        context={
            "site_url": settings.SITE_URL,
            "lead": str(application.lead_organisation),
            "project": application.display_name,
            "call_title": application.call.title,
            "path": reverse("calls:invitation", kwargs={"pk": member.pk}),
        },
    )


def invite_partner(
    *, application: Application, organisation: Organisation, invited_by: User
) -> ConsortiumMember:
    """Invite a registered organisation into a draft application (lead's admins only).

    Used by the matchmaking app as well; keep the signature.
    """
    if not is_lead_admin(invited_by, application):
        raise PermissionDenied(_("Only an administrator of the lead organisation can invite."))
    with transaction.atomic():
        application = lock_application(application)
        ensure_editable(application)
        existing = application.members.filter(organisation=organisation).first()
        if existing is not None and existing.is_active:
            raise ValidationError(
                _("%(name)s is already in this consortium.") % {"name": organisation}
            )
        _ensure_room(application)
        if existing is not None:  # invited again after declining or withdrawing
            member = existing
            member.status = MemberStatus.INVITED
            member.invited_by = invited_by
            member.declaration_signed_at = None
            member.declaration_signed_by = None
            member.save()
        else:
            member = ConsortiumMember.objects.create(
                application=application,
                organisation=organisation,
                status=MemberStatus.INVITED,
                invited_by=invited_by,
            )
        _send_invitation(
            application, member, "calls/invitation", list(organisation_admins([organisation]))
        )
        mark_changed(application)
        record(
            action="calls.member.invited",
            target=member,
            actor=invited_by,
            data={"application": application.pk, "organisation": organisation.pk},
        )
    return member


def invite_by_email(*, application: Application, email: str, invited_by: User) -> ConsortiumMember:
    """Invite an organisation that is not registered yet: it is asked to register first."""
    if not is_lead_admin(invited_by, application):
        raise PermissionDenied(_("Only an administrator of the lead organisation can invite."))
    email = email.strip().lower()
    validate_email(email)
    with transaction.atomic():
        application = lock_application(application)
        ensure_editable(application)
        if application.members.filter(
            invited_email__iexact=email,
            organisation__isnull=True,
            status__in=[MemberStatus.INVITED, MemberStatus.CONFIRMED],
        ).exists():
            raise ValidationError(_("%(email)s is already invited.") % {"email": email})
        _ensure_room(application)
        member = ConsortiumMember.objects.create(
            application=application,
            invited_email=email,
            status=MemberStatus.INVITED,
            invited_by=invited_by,
        )
        _send_invitation(application, member, "calls/invitation_register", [email])
        mark_changed(application)
        record(
            action="calls.member.invited",
            target=member,
            actor=invited_by,
            data={"application": application.pk, "by_email": True},
        )
    return member


def claim_invitation(
    *, member: ConsortiumMember, organisation: Organisation, actor: User
) -> ConsortiumMember:
    """The person invited by e-mail, now registered, names the organisation they administer."""
    if member.organisation_id is not None or member.status != MemberStatus.INVITED:
        raise ValidationError(_("This invitation is no longer open."))
    if actor.email.lower() != member.invited_email.lower():
        raise PermissionDenied(_("This invitation was sent to another e-mail address."))
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("You must administer the organisation you join with."))
    with transaction.atomic():
        application = lock_application(member.application)
        ensure_editable(application)
        if application.members.filter(organisation=organisation).exclude(pk=member.pk).exists():
            raise ValidationError(
                _("%(name)s is already in this consortium.") % {"name": organisation}
            )
        member = lock_member(member)
        member.organisation = organisation
        member.save(update_fields=["organisation"])
        record(
            action="calls.member.claimed",
            target=member,
            actor=actor,
            data={"organisation": organisation.pk},
        )
    return member


def confirm_participation(
    *,
    member: ConsortiumMember,
    actor: User,
    role: str,
    requested_amount: Decimal,
    budget_description: str = "",
) -> ConsortiumMember:
    """The partner's admin accepts the invitation with its role and its budget share."""
    if not is_member_admin(actor, member):
        raise PermissionDenied(_("Only an administrator of the invited organisation can confirm."))
    if role not in MemberRole.values:
        raise ValidationError(_("Choose the role: adopter or provider."))
    _check_amount(requested_amount)
    with transaction.atomic():
        application = lock_application(member.application)
        ensure_editable(application)
        member = lock_member(member)
        if member.status != MemberStatus.INVITED:
            raise ValidationError(_("This invitation is no longer open."))
        member.status = MemberStatus.CONFIRMED
        member.role = role
        member.requested_amount = requested_amount
        member.budget_description = budget_description
        member.save()
        mark_changed(application)
        record(
            action="calls.member.confirmed",
            target=member,
            actor=actor,
            data={"role": role, "requested_amount": requested_amount},
        )
    return member


def decline_invitation(*, member: ConsortiumMember, actor: User) -> ConsortiumMember:
    if not is_member_admin(actor, member):
        raise PermissionDenied(_("Only an administrator of the invited organisation can decline."))
    with transaction.atomic():
        member = lock_member(member)
        if member.status != MemberStatus.INVITED:
            raise ValidationError(_("This invitation is no longer open."))
        member.status = MemberStatus.DECLINED
        member.save(update_fields=["status"])
        record(action="calls.member.declined", target=member, actor=actor, data={})
    return member


def withdraw_partner(*, member: ConsortiumMember, actor: User) -> ConsortiumMember:
    """A partner leaves the consortium (its own admin), or the lead removes it; before submission."""
    if member.is_lead:
        raise ValidationError(_("The lead organisation cannot leave its own application."))
    if not (is_member_admin(actor, member) or is_lead_admin(actor, member.application)):
        raise PermissionDenied(_("Only the partner's or the lead's administrators can do this."))
    with transaction.atomic():
        application = lock_application(member.application)
        if application.state != ApplicationState.DRAFT:
            raise ValidationError(_("A partner can only withdraw before the submission."))
        ensure_editable(application)
        member = lock_member(member)
        if not member.is_active:
            raise ValidationError(_("This organisation is no longer in the consortium."))
        member.status = MemberStatus.WITHDRAWN
        member.declaration_signed_at = None
        member.declaration_signed_by = None
        member.save(update_fields=["status", "declaration_signed_at", "declaration_signed_by"])
        mark_changed(application)
        record(action="calls.member.withdrawn", target=member, actor=actor, data={})
    return member


def _check_amount(amount: Decimal) -> None:
    if not isinstance(amount, Decimal):
        raise ValidationError(_("Amounts are decimals, never floats."))
    if amount < 0:
        raise ValidationError(_("A budget cannot be negative."))
    if amount.as_tuple().exponent < -2:
        raise ValidationError(_("Amounts have at most two decimals (cents)."))


def update_member_budget(
    *,
    member: ConsortiumMember,
    actor: User,
    role: str,
    requested_amount: Decimal,
    budget_description: str = "",
) -> ConsortiumMember:
    """Lead admins edit every member's share; a partner's admin edits its own."""
    if not (is_lead_admin(actor, member.application) or is_member_admin(actor, member)):
        raise PermissionDenied(_("You cannot change this member's budget."))
    if role and role not in MemberRole.values:
        raise ValidationError(_("Choose the role: adopter or provider."))
    _check_amount(requested_amount)
    with transaction.atomic():
        application = lock_application(member.application)
        ensure_editable(application)
        member = lock_member(member)
        if member.status != MemberStatus.CONFIRMED:
            raise ValidationError(_("Only a confirmed member has a budget."))
        member.role = role
        member.requested_amount = requested_amount
        member.budget_description = budget_description
        member.save(update_fields=["role", "requested_amount", "budget_description"])
        mark_changed(application)
    return member


def sign_declaration(*, member: ConsortiumMember, actor: User) -> ConsortiumMember:
    """The member's admin signs the declaration of honour (no conflict of interest, no double
    funding, not in difficulty)."""
    if not is_member_admin(actor, member):
        raise PermissionDenied(_("Only an administrator of this organisation can sign."))
    with transaction.atomic():
        application = lock_application(member.application)
        ensure_editable(application)
        member = lock_member(member)
        if member.status != MemberStatus.CONFIRMED:
            raise ValidationError(_("Confirm the participation before signing."))
        member.declaration_signed_at = timezone.now()
        member.declaration_signed_by = actor
        member.save(update_fields=["declaration_signed_at", "declaration_signed_by"])
        mark_changed(application)
        record(action="calls.member.declaration_signed", target=member, actor=actor, data={})
    return member
