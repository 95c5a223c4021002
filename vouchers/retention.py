"""How long the records of a funded project are kept: from the final payment, 5 years (3 for
grants up to EUR 60,000; the grant is the voucher's amount). The periods come from settings,
which the privacy notice reads too."""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls.models import Application
from calls.retention import remove_personal_data
from minegap.core.formatting import format_money
from minegap.core.personal_data import RetentionRule
from vouchers.models import BeneficiaryShare, DeliverableVersion, Payment, Voucher, VoucherState


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
        "%(limit)s)"
    ) % {
        "years": settings.RETENTION_FUNDED_PROJECT_YEARS,
        "small": settings.RETENTION_SMALL_GRANT_YEARS,
        "limit": format_money(Decimal(settings.RETENTION_SMALL_GRANT_LIMIT)),
    }


def _until_of(voucher: Voucher) -> date:
    """`kept_until` of a closed voucher annotated with `last_payment` (no query per voucher)."""
    final = voucher.last_payment or timezone.localdate(voucher.closed_at)
    return years_after(final, retention_years(voucher))


def funded_due(now: datetime) -> list[Voucher]:
    """Closed vouchers whose retention period ended by `now` (Brussels date) and whose people
    are still linked."""
    today = timezone.localdate(now)
    closed = (
        Voucher.objects.filter(
            state__in=[VoucherState.COMPLETED, VoucherState.TERMINATED],
            personal_data_removed_at__isnull=True,
        )
        .annotate(last_payment=Max("instalments__payments__value_date"))
        .order_by("pk")
    )
    return [voucher for voucher in closed if _until_of(voucher) <= today]


def remove_funded_personal_data(vouchers: list[Voucher], now: datetime) -> int:
    """Unlink the people named in the records of `vouchers`' projects and delete the documents
    that name them (agreement, payment statements, the application's files and answers), after
    commit for the files. The organisation-level record stays: the project's title, summary,
    beneficiaries, amounts and dates, and the deliverables shown publicly."""
    ids = [voucher.pk for voucher in vouchers]
    if not ids:
        return 0
    remove_personal_data(Application.objects.filter(voucher__in=ids), now)
    files = [
        name
        for name in Voucher.objects.filter(pk__in=ids).values_list("agreement_pdf", flat=True)
        if name
    ]
    shares = BeneficiaryShare.objects.filter(voucher_id__in=ids)
    files += [name for name in shares.values_list("statement_pdf", flat=True) if name]
    shares.update(signed_by=None, refused_by=None, statement_pdf="", statement_payments=0)
    DeliverableVersion.objects.filter(deliverable__voucher_id__in=ids).update(
        uploaded_by=None, reviewed_by=None
    )
    Voucher.objects.filter(pk__in=ids).update(
        drafted_by=None, countersigned_by=None, agreement_pdf="", personal_data_removed_at=now
    )
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return len(ids)


def apply_funded(now: datetime, dry_run: bool) -> int:
    due = funded_due(now)
    if dry_run:
        return len(due)
    return remove_funded_personal_data(due, now)


def funded_rule() -> RetentionRule:
    return RetentionRule(
        name="vouchers.funded_projects",
        description=gettext_lazy(
            "Records of funded projects that name people: the signed agreement, payment "
            "statements, the application's answers and files, who signed, submitted and uploaded"
        ),
        period=lazy(period_text, str)(),
        apply=apply_funded,
    )
