"""What the mentoring app keeps when a mentor asks to be erased: their log and reports are
records of the funded project (a report may have released a payment), kept for the project's
retention period like its other records; the person is told which and until when."""

from datetime import datetime

from django.utils.translation import gettext as _

from accounts.models import User
from minegap.core.personal_data import ErasureOutcome, ErasureSection, Kept
from vouchers.models import Voucher
from vouchers.retention import kept_until, period_text


def erase(user: User, now: datetime) -> ErasureOutcome:
    vouchers = (
        Voucher.objects.filter(mentor_assignments__mentor=user)
        .distinct()
        .order_by("agreement_number")
    )
    kept = [
        Kept(
            what=_(
                "Your mentoring of the funded project with agreement %(number)s: your "
                "declaration, the meetings you recorded and your milestone reports"
            )
            % {"number": voucher.agreement_number},
            until=kept_until(voucher),
            rule=_("Records of funded projects: %(period)s") % {"period": period_text()},
        )
        for voucher in vouchers
    ]
    return ErasureOutcome(erased=[], kept=kept)


def section() -> ErasureSection:
    return ErasureSection(name="mentoring", erase=erase)
