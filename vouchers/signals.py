"""Signals the vouchers app sends for the apps after it (mentoring), which it may not import.

Sent inside the transaction of the service that changes the state, so a receiver's writes
commit or roll back with the change itself.
"""

from django.dispatch import Signal

#: A voucher was completed or terminated: ``voucher`` (Voucher), ``actor`` (User or None).
voucher_closed = Signal()
