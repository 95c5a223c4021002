"""Retention of invitations never accepted: one holds an address for nothing once it expired,
so it goes `RETENTION_EXPIRED_INVITATION_DAYS` after its expiry (the period the privacy notice
shows). Invitations to an organisation are the accounts app's; `expired_invitations_rule` also
serves any other invitation model with `accepted_at` and `expires_at` (evaluators')."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Invitation
from minegap.core.personal_data import RetentionRule


def expired_invitation_period() -> str:
    days = settings.RETENTION_EXPIRED_INVITATION_DAYS
    return ngettext(
        "%(days)d day after the invitation expired",
        "%(days)d days after the invitation expired",
        days,
    ) % {"days": days}


def expired_invitations_rule(
    *, name: str, description: str, invitations: type[models.Model]
) -> RetentionRule:
    def delete_expired(now: datetime, dry_run: bool) -> int:
        cutoff = now - timedelta(days=settings.RETENTION_EXPIRED_INVITATION_DAYS)
        due = invitations.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff)
        if dry_run:
            return due.count()
        deleted, _per_model = due.delete()
        return deleted

    return RetentionRule(
        name=name,
        description=description,
        period=lazy(expired_invitation_period, str)(),
        apply=delete_expired,
    )


def rule() -> RetentionRule:
    return expired_invitations_rule(
        name="accounts.expired_invitations",
        description=_("Invitations to join an organisation never accepted (the address invited)"),
        invitations=Invitation,
    )
