"""Retention of invitations to evaluate never accepted (the accounts app's rule for
invitations, applied to evaluators' invitations)."""

from django.utils.translation import gettext_lazy as _

from accounts.retention import expired_invitations_rule
from evaluation.models import EvaluatorInvitation
from minegap.core.personal_data import RetentionRule


def rule() -> RetentionRule:
    return expired_invitations_rule(
        name="evaluation.expired_invitations",
        description=_("Invitations to evaluate never accepted (the address invited)"),
        invitations=EvaluatorInvitation,
    )
