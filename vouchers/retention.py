"""How long the records of a funded project are kept: from the final payment, 5 years (3 for
grants up to EUR 60,000; the grant is the voucher's amount). The periods come from settings,
which the privacy notice reads too."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vouchers.models import Payment, Voucher, VoucherState


def years_after(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_years(voucher: Voucher) -> int:
    if voucher.amount <= Decimal(settings.RETENTION_SMALL_GRANT_LIMIT):
        return settings.RETENTION_SMALL_GRANT_YEARS
    return settings.RETENTION_FUNDED_PROJECT_YEARS


def final_payment_date(voucher: Voucher) -> date | None:
    """The value date of the last payment of a closed voucher (completed or terminated); its
    closing day when it closed without any payment; None while it is open (more may follow)."""
    if voucher.state not in (VoucherState.COMPLETED, VoucherState.TERMINATED):
        return None
    last = Payment.objects.filter(instalment__voucher=voucher).aggregate(last=Max("value_date"))
    if last["last"] is not None:
        return last["last"]
    return timezone.localdate(voucher.closed_at)


def kept_until(voucher: Voucher) -> date | None:
    """The day the project's records may go, or None while the final payment is still to come."""
    final = final_payment_date(voucher)
    return None if final is None else years_after(final, retention_years(voucher))


def period_text() -> str:
    return _(
        "%(years)d years after the project's final payment (%(small)d years for grants up to "
        "EUR %(limit)s)"
    ) % {
        "years": settings.RETENTION_FUNDED_PROJECT_YEARS,
        "small": settings.RETENTION_SMALL_GRANT_YEARS,
        "limit": f"{Decimal(settings.RETENTION_SMALL_GRANT_LIMIT):,.0f}",
    }
