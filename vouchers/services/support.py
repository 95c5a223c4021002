"""Business-support services and awards given to funded SMEs."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from calls.models import Call
from minegap.ledger.services import record
from vouchers.models import SupportService, SupportType, Voucher
from vouchers.planning import to_money
from vouchers.services.common import require_staff


def record_support_service(
    *,
    organisation: Organisation,
    call: Call,
    type: str,
    provider: str,
    date: date,
    value: Decimal,
    actor: User,
    hours: Decimal = Decimal("0"),
    description: str = "",
    voucher: Voucher | None = None,
) -> SupportService:
    require_staff(actor)
    if type not in SupportType.values:
        raise ValidationError(_("Unknown type of service."))
    if not provider.strip():
        raise ValidationError(_("Name the provider."))
    value = to_money(value)
    if not isinstance(hours, Decimal) or value < 0 or hours < 0:
        raise ValidationError(_("Hours and value cannot be negative."))
    if voucher is not None and (
        voucher.call_id != call.pk or not voucher.shares.filter(organisation=organisation).exists()
    ):
        raise ValidationError(_("This voucher is not the organisation's voucher in this call."))
    with transaction.atomic():
        service = SupportService.objects.create(
            organisation=organisation,
            call=call,
            voucher=voucher,
            type=type,
            provider=provider.strip(),
            description=description,
            date=date,
            hours=hours,
            value=value,
            recorded_by=actor,
        )
        record(
            action="vouchers.support.recorded",
            target=service,
            actor=actor,
            data={"organisation": organisation.pk, "type": type, "value": value, "hours": hours},
        )
    return service
