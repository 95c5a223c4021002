"""Reads of the audit ledger: filtered, newest first, with the actor in the same query."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet
from django.utils import timezone

from minegap.core.compiled_queries import CompiledQuery
from minegap.ledger.hashing import GENESIS_HASH
from minegap.ledger.models import AuditEntry, LedgerHead


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entry_list(
    *,
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    newest_first: bool = True,
) -> QuerySet[AuditEntry]:
    """Entries matching every given filter. `action` is a prefix (``calls.`` or
    ``calls.application``); `actor` matches part of the e-mail address or name; dates are
    inclusive days in the site's time zone."""
    entries = AuditEntry.objects.select_related("actor")
    if action:
        entries = entries.filter(action__startswith=action)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    if actor:
        entries = entries.filter(
            Q(actor__email__icontains=actor) | Q(actor__full_name__icontains=actor)
        )
    if date_from:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of(date_to + timedelta(days=1)))
    return entries.order_by("-seq" if newest_first else "seq")


def audit_entry_target_types() -> list[str]:
    return list(
        AuditEntry.objects.order_by("target_type").values_list("target_type", flat=True).distinct()
    )


def audit_entry_for_target(*, target_type: str, target_id: Any) -> QuerySet[AuditEntry]:
    """The history of one object, oldest first (uses the (target_type, target_id, seq) index)."""
    return (
        AuditEntry.objects.select_related("actor")
        .filter(target_type=target_type, target_id=str(target_id))
        .order_by("seq")
    )


# The table holds at most one row (the constraint "ledger_single_head").
_head = CompiledQuery(lambda: LedgerHead.objects.order_by().values_list("hash"))


def head_hash(using: str = DEFAULT_DB_ALIAS) -> str:
    """The hash of the chain's last entry: a new one with every entry appended, so it marks
    "nothing recorded since". Every change of state records its entry in the transaction of the
    change, so a value derived from that state and kept under this mark is current while the
    mark is. Read with one statement on the head's row (no lock: a writer's lock does not wait
    for readers)."""
    row = _head.first(using=using)
    return row[0] if row else GENESIS_HASH
