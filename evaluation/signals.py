"""Signals the evaluation app sends for the apps after it (vouchers, public), which it may not import.

Both are sent inside the transaction of the service that changes the state, so a receiver's
writes commit or roll back with the decision itself.
"""

from django.dispatch import Signal

#: The committee adopted a decision: ``session`` (DecisionSession), ``actor`` (User).
decision_adopted = Signal()
#: A reserve moved up after a selected application left: ``move`` (ReserveMove), ``actor``.
reserve_promoted = Signal()
#: A selected application left the funded list (vacate_selection), before any reserve moves
#: up: ``application``, ``reason``, ``actor`` (None: the system). Vouchers ends its voucher.
selection_vacated = Signal()
