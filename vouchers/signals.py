"""Signals the vouchers app sends for the apps after it (mentoring), which it may not import.

Sent inside the transaction of the service that changes the state, so a receiver's writes
commit or roll back with the change itself. A receiver records nothing in the ledger: it returns
the entries of what it changed (`minegap.ledger.services.Entry`, a list, maybe empty), and the
sender appends them after its own in one `record_many`, the last step of its transaction, so
that the chain's head lock, the platform's one global lock, is held for as short as DESIGN.md
asks (a receiver's writes would otherwise run while the sender holds it).
"""

from django.dispatch import Signal

from minegap.ledger.services import Entry

#: A voucher was completed or terminated: ``voucher`` (Voucher), ``actor`` (User or None).
voucher_closed = Signal()


def send_voucher_closed(*, voucher, actor) -> list[Entry]:
    """Send `voucher_closed`: the receivers' ledger entries, in the order they were connected."""
    responses = voucher_closed.send(sender=type(voucher), voucher=voucher, actor=actor)
    return [entry for _receiver, entries in responses for entry in entries or ()]
