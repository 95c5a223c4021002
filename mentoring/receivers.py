"""Receivers of the signals of the apps before mentoring: thin, they call a service."""

from mentoring import services


def end_on_voucher_closed(sender, *, voucher, actor, **kwargs) -> None:
    services.end_for_closed_voucher(voucher=voucher, actor=actor)
