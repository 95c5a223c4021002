"""What the vouchers app keeps when a person asks to be erased: the records of a funded project
that name them (the signed agreement, its submitted versions, deliverables and payment records)
stay for the project's retention period; the person is told which and until when."""

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from minegap.core.personal_data import ErasureOutcome, ErasureSection, Kept
from vouchers.models import Voucher
from vouchers.retention import kept_until, period_text

RULE = "vouchers.funded_projects"


def vouchers_naming(user: User):
    """Vouchers whose records name the person: a signature or refusal of a share, an uploaded
    or reviewed deliverable, the drafting or countersigning, or the funded application's own
    records (created, submitted, declaration of honour signed, file uploaded)."""
    return (
        Voucher.objects.filter(
            Q(shares__signed_by=user)
            | Q(shares__refused_by=user)
            | Q(deliverables__versions__uploaded_by=user)
            | Q(deliverables__versions__reviewed_by=user)
            | Q(drafted_by=user)
            | Q(countersigned_by=user)
            | Q(application__created_by=user)
            | Q(application__versions__submitted_by=user)
            | Q(application__members__declaration_signed_by=user)
            | Q(application__attachments__uploaded_by=user)
        )
        .distinct()
        .select_related("application")
        .order_by("agreement_number")
    )


def erase(user: User, now: datetime) -> ErasureOutcome:
    kept = [
        Kept(
            what=_(
                "Records of the funded project %(project)s (agreement %(number)s) that name you: "
                "the signed agreement, the submitted application, deliverables and payments"
            )
            % {"project": voucher.application.display_name, "number": voucher.agreement_number},
            until=kept_until(voucher),
            rule=_("Records of funded projects: %(period)s") % {"period": period_text()},
        )
        for voucher in vouchers_naming(user)
    ]
    return ErasureOutcome(erased=[], kept=kept)


def section() -> ErasureSection:
    return ErasureSection(name="vouchers", erase=erase)
