"""The evaluator pool: invitations, profiles, the confidentiality declaration."""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Organisation, User
from accounts.rules import forget_roles, is_evaluator
from evaluation.models import (
    EvaluatorExpertise,
    EvaluatorInvitation,
    EvaluatorProfile,
    ExpertiseKind,
)
from evaluation.services.common import require_staff
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

INVITATION_VALID_FOR = timedelta(days=30)
EXPERTISE_WEIGHTS = (Decimal("1"), Decimal("0.5"))


def invite_evaluator(*, email: str, actor: User) -> EvaluatorInvitation:
    """E-mail an invitation to join the evaluator pool (earlier pending ones are replaced)."""
    require_staff(actor)
    email = (email or "").strip().lower()
    validate_email(email)
    now = timezone.now()
    with transaction.atomic():
        EvaluatorInvitation.objects.filter(email=email, accepted_at__isnull=True).update(
            expires_at=now
        )
        invitation = EvaluatorInvitation.objects.create(
            email=email,
            token=secrets.token_urlsafe(32),
            invited_by=actor,
            expires_at=now + INVITATION_VALID_FOR,
        )
        enqueue(
            template="evaluation/evaluator_invitation",
            subject=_("You are invited to evaluate proposals on MineGap"),
            recipients=[email],
            context={
                "accept_url": settings.SITE_URL.rstrip("/")
                + reverse("evaluation:join", args=[invitation.token]),
                "expires_at": invitation.expires_at.date(),
            },
        )
        record(
            action="evaluation.evaluator.invited",
            target=invitation,
            actor=actor,
        )
    return invitation


def accept_evaluator_invitation(*, token: str, user: User) -> EvaluatorProfile:
    """The invited person (signed in with the invited address) joins the evaluators group."""
    with transaction.atomic():
        invitation = EvaluatorInvitation.objects.select_for_update().filter(token=token).first()
        if invitation is None:
            raise ValidationError(_("This invitation link is not valid."))
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation was already accepted."))
        if invitation.expires_at <= timezone.now():
            raise ValidationError(_("This invitation has expired: ask the staff for a new one."))
        if invitation.email.lower() != user.email.lower():
            raise PermissionDenied(
                _("This invitation was sent to another e-mail address: sign in with it.")
            )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        user.groups.add(Group.objects.get_or_create(name=roles.EVALUATOR)[0])
        forget_roles(user)  # the predicates read the new role
        profile, _created = EvaluatorProfile.objects.get_or_create(user=user)
        record(
            action="evaluation.evaluator.joined",
            target=profile,
            actor=user,
            data={"invitation": invitation.pk},
        )
    return profile


def update_evaluator_profile(
    *,
    user: User,
    country: str,
    employer: Organisation | None,
    employer_name: str,
    keywords: str,
    max_proposals: int,
    expertise: list[tuple[str, str, Decimal]],
) -> EvaluatorProfile:
    """Replace the profile's fields and its expertise rows ``(kind, name, weight)``."""
    if not is_evaluator(user):
        raise PermissionDenied(_("Only evaluators have an evaluator profile."))
    if not 1 <= max_proposals <= 200:
        raise ValidationError(_("The maximum number of proposals must be between 1 and 200."))
    seen: set[tuple[str, str]] = set()
    for kind, name, weight in expertise:
        if kind not in ExpertiseKind.values or not name.strip():
            raise ValidationError(_("Unknown kind of expertise."))
        if weight not in EXPERTISE_WEIGHTS:
            raise ValidationError(_("Expertise is main (1) or secondary (0.5)."))
        if (kind, name.strip().lower()) in seen:
            raise ValidationError(
                _("“%(name)s” is listed twice: choose main or secondary.") % {"name": name}
            )
        seen.add((kind, name.strip().lower()))
    with transaction.atomic():
        profile, _created = EvaluatorProfile.objects.select_for_update().get_or_create(user=user)
        if employer is None and employer_name.strip():
            # A registered organisation of that name is the employer the assignment avoids.
            employer = Organisation.objects.filter(
                Q(legal_name__iexact=employer_name.strip())
                | Q(short_name__iexact=employer_name.strip())
            ).first()
        profile.country = country
        profile.employer = employer
        profile.employer_name = employer_name.strip()
        profile.keywords = ", ".join(k.strip() for k in keywords.split(",") if k.strip())
        profile.max_proposals = max_proposals
        profile.save()
        profile.expertise.all().delete()
        EvaluatorExpertise.objects.bulk_create(
            EvaluatorExpertise(profile=profile, kind=kind, name=name.strip(), weight=weight)
            for kind, name, weight in expertise
        )
    return profile


def accept_declaration(*, user: User) -> EvaluatorProfile:
    """The confidentiality and no-conflict declaration: nothing is visible before it."""
    if not is_evaluator(user):
        raise PermissionDenied(_("Only evaluators accept the evaluator's declaration."))
    with transaction.atomic():
        profile, _created = EvaluatorProfile.objects.select_for_update().get_or_create(user=user)
        if profile.declaration_accepted_at is not None:
            return profile
        profile.declaration_accepted_at = timezone.now()
        profile.save(update_fields=["declaration_accepted_at", "updated_at"])
        record(
            action="evaluation.evaluator.declaration_accepted",
            target=profile,
            actor=user,
            data={"at": profile.declaration_accepted_at},
        )
    return profile
