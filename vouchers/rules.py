"""Permission predicates of the vouchers app (django-rules)."""

import rules

from accounts.rules import is_consortium_staff, is_organisation_admin


@rules.predicate
def is_voucher_beneficiary(user, voucher) -> bool:
    """Member of an organisation holding a share of the voucher."""
    if not getattr(user, "is_authenticated", False) or voucher is None:
        return False
    return voucher.shares.filter(organisation__memberships__user=user).exists()


@rules.predicate
def is_share_admin(user, share) -> bool:
    """Administrator of the organisation whose share it is: may sign or refuse it."""
    return share is not None and is_organisation_admin(user, share.organisation)


rules.add_perm("vouchers.manage_vouchers", is_consortium_staff)
rules.add_perm("vouchers.view_voucher", is_consortium_staff | is_voucher_beneficiary)
rules.add_perm("vouchers.upload_deliverable", is_voucher_beneficiary)
rules.add_perm("vouchers.sign_share", is_share_admin)
