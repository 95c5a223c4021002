"""Helpers shared by the evaluation services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_consortium_staff
from evaluation.preconditions import scores_frozen_refusal


def clean_text(value: str | None) -> str:
    """Posted free text as stored: trimmed, without NUL characters (PostgreSQL refuses them in
    text columns; services read some reasons straight from the POST, without a form)."""
    return (value or "").replace("\x00", "").strip()


def require_staff(actor: User) -> None:
    if not is_consortium_staff(actor):
        raise PermissionDenied(_("Only consortium staff can do this."))


def ensure_not_decided(call_id: int) -> None:
    """Scores and consensus are frozen once the committee adopted the call's decision, and
    while a session decides on them (its proposal is the ranking as it stood when it opened)."""
    refusal = scores_frozen_refusal(call_id)
    if refusal:
        raise ValidationError(refusal)
