"""Helpers for ledger tests: write entries, and tamper with the table behind the ORM's back."""

from contextlib import contextmanager

from django.db import connection, transaction

from minegap.ledger.models import AuditEntry
from minegap.ledger.services import record


def write_entries(count: int, *, action: str = "tests.thing.changed") -> list[AuditEntry]:
    with transaction.atomic():
        return [
            record(action=action, target_type="tests.thing", target_id=str(n), data={"n": n})
            for n in range(1, count + 1)
        ]


@contextmanager
def trigger_disabled():
    """On PostgreSQL, switch the append-only trigger off inside the test's transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # ALTER TABLE waits for no deferred foreign-key check: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ledger_auditentry DISABLE TRIGGER USER")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ledger_auditentry ENABLE TRIGGER USER")
    else:
        yield


def raw_execute(sql: str, params: list) -> None:
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(sql, params)
