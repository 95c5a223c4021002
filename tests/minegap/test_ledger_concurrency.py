"""Concurrent writers never fork the chain: the head row lock serialises them (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections, transaction

from minegap.ledger.hashing import GENESIS_HASH
from minegap.ledger.models import AuditEntry, LedgerHead
from minegap.ledger.services import record
from minegap.ledger.verification import verify_chain

THREADS, WRITES = 8, 25


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks and real concurrent transactions need PostgreSQL (CI runs it there).",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_build_one_contiguous_chain():
    LedgerHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for write in range(WRITES):
                with transaction.atomic():
                    record(
                        action="tests.thing.changed",
                        target_type="tests.thing",
                        target_id=f"{number}-{write}",
                        data={"thread": number, "write": write},
                    )
                # Give the connection back to the pool between transactions, as a web request does.
                connections.close_all()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    total = THREADS * WRITES
    assert errors == []
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, total + 1)
    )
    assert AuditEntry.objects.values("prev_hash").distinct().count() == total  # no fork
    result = verify_chain()
    assert (result.intact, result.entries, result.head_seq) == (True, total, total)
