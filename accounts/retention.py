"""Retention of invitations to organisations: one never accepted holds an address for nothing
once it expired; it goes `RETENTION_EXPIRED_INVITATION_DAYS` after its expiry."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Invitation
from minegap.core.personal_data import RetentionRule


def expired_invitations(now: datetime):
    cutoff = now - timedelta(days=settings.RETENTION_EXPIRED_INVITATION_DAYS)
    return Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff)


def delete_expired_invitations(now: datetime, dry_run: bool) -> int:
    due = expired_invitations(now)
    if dry_run:
        return due.count()
    deleted, _per_model = due.delete()
    return deleted


def expired_invitation_period() -> str:
    days = settings.RETENTION_EXPIRED_INVITATION_DAYS
    return ngettext(
        "%(days)d day after the invitation expired",
        "%(days)d days after the invitation expired",
        days,
    ) % {"days": days}


def rule() -> RetentionRule:
    return RetentionRule(
        name="accounts.expired_invitations",
        description=_("Invitations to join an organisation never accepted (the address invited)"),
        period=lazy(expired_invitation_period, str)(),
        apply=delete_expired_invitations,
    )
