"""Helpers shared by the evaluation services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_consortium_staff


def require_staff(actor: User) -> None:
    if not is_consortium_staff(actor):
        raise PermissionDenied(_("Only consortium staff can do this."))
