"""Permission predicates of the vouchers app (django-rules)."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.rules import by_role, is_consortium_staff, is_organisation_admin
from minegap.ledger.labels import register_action_labels


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


rules.add_perm("vouchers.manage_vouchers", by_role(is_consortium_staff))
# A beneficiary's pages and files of its voucher (staff use the /manage/ pages).
rules.add_perm("vouchers.view_voucher", is_voucher_beneficiary)
rules.add_perm("vouchers.upload_deliverable", is_voucher_beneficiary)
rules.add_perm("vouchers.sign_share", is_share_admin)

register_action_labels(
    {
        "vouchers.voucher.drafted": _("Voucher drafted"),
        "vouchers.voucher.shares_adjusted": _("Beneficiaries' shares adjusted"),
        "vouchers.share.signed": _("Agreement signed by a beneficiary"),
        "vouchers.voucher.refused": _("Agreement refused by a beneficiary"),
        "vouchers.voucher.countersigned": _("Agreement countersigned"),
        "vouchers.voucher.terminated": _("Voucher terminated"),
        "vouchers.voucher.completed": _("Voucher completed"),
        "vouchers.deliverable.submitted": _("Deliverable submitted"),
        "vouchers.deliverable.accepted": _("Deliverable accepted"),
        "vouchers.deliverable.returned": _("Deliverable returned for changes"),
        "vouchers.deliverable.rescheduled": _("Deliverable due date moved"),
        "vouchers.deliverable.published": _("Deliverable shown on the public site"),
        "vouchers.deliverable.unpublished": _("Deliverable withdrawn from the public site"),
        "vouchers.payment.requested": _("Payment requested"),
        "vouchers.payment.approved": _("Payment approved"),
        "vouchers.payment.rejected": _("Payment request rejected"),
        "vouchers.payment.recorded": _("Payment recorded"),
        "vouchers.instalment.withheld": _("Instalment withheld"),
        "vouchers.instalment.released": _("Instalment released"),
        "vouchers.instalment.recovered": _("Payment recovered"),
        "vouchers.support.recorded": _("Business-support service recorded"),
    }
)
