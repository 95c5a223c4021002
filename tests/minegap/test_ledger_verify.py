"""`verify_ledger` recomputes the chain and names the first broken entry."""

import pytest
from django.core.management import CommandError, call_command

from minegap.ledger.models import LedgerHead
from minegap.ledger.verification import verify_chain
from tests.minegap.ledger_helpers import raw_execute, write_entries

pytestmark = pytest.mark.django_db


def test_an_empty_ledger_is_intact(capsys):
    call_command("verify_ledger")
    assert capsys.readouterr().out == "Ledger intact: 0 entries, head 000000000000…\n"


def test_an_intact_chain_passes_with_a_one_line_summary(capsys):
    entries = write_entries(5)
    call_command("verify_ledger", chunk_size=2)  # several chunks
    assert capsys.readouterr().out == f"Ledger intact: 5 entries, head {entries[-1].hash[:12]}…\n"


def test_an_altered_entry_is_named():
    entries = write_entries(4)
    raw_execute("UPDATE ledger_auditentry SET data = %s WHERE seq = 3", ['{"n": 999}'])

    with pytest.raises(CommandError) as excinfo:
        call_command("verify_ledger", chunk_size=2)

    recomputed = verify_chain().message.split("recomputed ")[1]
    assert str(excinfo.value) == (
        f"Entry #3 (tests.thing.changed) was altered: stored hash {entries[2].hash[:12]}…, "
        f"recomputed {recomputed}"
    )
    assert excinfo.value.returncode == 1


def test_a_rewritten_hash_breaks_the_next_link():
    entries = write_entries(3)
    raw_execute("UPDATE ledger_auditentry SET hash = %s WHERE seq = 2", ["f" * 64])

    result = verify_chain()

    assert (result.intact, result.broken_seq, result.entries) == (False, 2, 1)
    assert result.message == (
        f"Entry #2 (tests.thing.changed) was altered: stored hash ffffffffffff…, "
        f"recomputed {entries[1].hash[:12]}…."
    )


def test_a_deleted_entry_leaves_a_gap_that_is_named():
    write_entries(5)
    raw_execute("DELETE FROM ledger_auditentry WHERE seq IN (%s, %s)", [2, 3])

    result = verify_chain()

    assert (result.intact, result.broken_seq) == (False, 4)
    assert result.message == (
        "Entry #4 (tests.thing.changed) follows #1: entries #2–#3 are missing (deleted)."
    )


def test_removing_the_last_entry_is_caught_by_the_head():
    entries = write_entries(3)
    raw_execute("DELETE FROM ledger_auditentry WHERE seq = %s", [3])

    result = verify_chain()

    assert (result.intact, result.broken_seq) == (False, 3)
    assert result.message == (
        f"The head says #3 ({entries[2].hash[:12]}…) but the chain ends at #2 "
        f"({entries[1].hash[:12]}…): the last entries were removed or the head was moved."
    )


def test_a_head_moved_back_is_caught():
    entries = write_entries(2)
    LedgerHead.objects.filter(pk=1).update(seq=1, hash=entries[0].hash)

    assert verify_chain().intact is False


def test_a_bad_chunk_size_is_a_clear_error():
    with pytest.raises(CommandError, match="--chunk-size must be at least 1"):
        call_command("verify_ledger", chunk_size=0)
