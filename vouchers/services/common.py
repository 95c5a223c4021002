"""Helpers shared by the vouchers services: permission checks and row locks."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_consortium_staff
from vouchers.models import Instalment, Voucher


def require_staff(actor: User | None, *, allow_system: bool = False) -> None:
    """Staff only; `allow_system` lets internal callers (signal receivers) pass actor=None."""
    if actor is None and allow_system:
        return
    if actor is None or not is_consortium_staff(actor):
        raise PermissionDenied(_("Only consortium staff can do this."))


def lock_voucher(voucher: Voucher) -> Voucher:
    return (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("call", "application")
        .get(pk=voucher.pk)
    )


def lock_instalment(instalment: Instalment) -> Instalment:
    return (
        Instalment.objects.select_for_update(of=("self",))
        .select_related("voucher")
        .get(pk=instalment.pk)
    )
