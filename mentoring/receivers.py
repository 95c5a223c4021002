"""Receivers of the signals of the apps before mentoring: thin, they call a service."""

from mentoring import services
from minegap.ledger.services import Entry


def end_on_voucher_closed(sender, *, voucher, actor, **kwargs) -> list[Entry]:
    return services.end_for_closed_voucher(voucher=voucher, actor=actor)
