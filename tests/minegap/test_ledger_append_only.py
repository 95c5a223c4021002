"""The ledger refuses changes: at ORM level everywhere, and by a trigger on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from minegap.ledger.hashing import GENESIS_HASH
from minegap.ledger.models import AuditEntry, LedgerHead, LedgerIsAppendOnly
from tests.minegap.ledger_helpers import write_entries

pytestmark = pytest.mark.django_db

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The append-only trigger exists on PostgreSQL only (CI runs it there).",
)


def test_migration_creates_the_genesis_head():
    head = LedgerHead.objects.get()
    assert (head.pk, head.seq, head.hash) == (1, 0, GENESIS_HASH)


def test_saving_an_existing_entry_is_refused_and_nothing_changes():
    (entry,) = write_entries(1)
    entry.action = "tests.thing.forged"
    with pytest.raises(LedgerIsAppendOnly, match=r"append-only: entry #1 cannot be changed"):
        entry.save()
    assert AuditEntry.objects.get(seq=1).action == "tests.thing.changed"


def test_deleting_an_entry_is_refused():
    (entry,) = write_entries(1)
    with pytest.raises(LedgerIsAppendOnly, match=r"append-only: entry #1 cannot be deleted"):
        entry.delete()
    assert AuditEntry.objects.count() == 1


def test_bulk_update_and_delete_are_refused():
    write_entries(2)
    with pytest.raises(LedgerIsAppendOnly, match="cannot be changed"):
        AuditEntry.objects.filter(seq=1).update(action="tests.thing.forged")
    with pytest.raises(LedgerIsAppendOnly, match="cannot be deleted"):
        AuditEntry.objects.all().delete()
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["tests.thing.changed"] * 2


@only_postgresql
@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        ("UPDATE ledger_auditentry SET action = 'tests.thing.forged' WHERE seq = 1", "UPDATE"),
        ("DELETE FROM ledger_auditentry WHERE seq = 1", "DELETE"),
        # CASCADE: the erasable payloads refer to the entries; the trigger must still refuse.
        ("TRUNCATE ledger_auditentry CASCADE", "TRUNCATE"),
    ],
)
def test_postgresql_trigger_refuses_raw_changes(sql, operation):
    write_entries(1)
    with connection.cursor() as cursor:
        # The test settings allow TRUNCATE for Django's table flushes; switch that off here.
        cursor.execute("SET LOCAL minegap.ledger_allow_truncate = 'off'")
        # Fire the deferred foreign-key checks of the insert, or TRUNCATE refuses for that reason.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with (
        pytest.raises(DatabaseError, match=f"append-only: {operation} on ledger_auditentry"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert list(AuditEntry.objects.values_list("seq", "action")) == [(1, "tests.thing.changed")]
