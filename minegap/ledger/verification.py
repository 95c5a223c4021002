"""Recompute the audit ledger's hash chain and name the first entry that does not fit."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from minegap.ledger.hashing import GENESIS_HASH, entry_hash
from minegap.ledger.models import AuditEntry, LedgerHead

CHUNK_SIZE = 2000
FIELDS = (
    "seq",
    "at",
    "actor_id",
    "action",
    "target_type",
    "target_id",
    "data",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class VerificationResult:
    intact: bool
    entries: int
    head_seq: int
    head_hash: str
    message: str
    broken_seq: int | None = None


def _rows(chunk_size: int) -> Iterator[dict[str, Any]]:
    """Entries in seq order, streamed: memory stays flat however long the chain is."""
    return AuditEntry.objects.order_by("seq").values(*FIELDS).iterator(chunk_size=chunk_size)


def entry_is_consistent(entry: AuditEntry) -> bool:
    """One entry's stored hash matches its fields (does not check the links around it)."""
    return entry.hash == hashlib.sha256(entry.canonical_json().encode("utf-8")).hexdigest()


def _short(digest: str) -> str:
    return f"{digest[:12]}…"


def verify_chain(*, chunk_size: int = CHUNK_SIZE) -> VerificationResult:
    """Check seq continuity (1, 2, 3 …), each entry's hash, each prev_hash link, and the head."""
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0

    def broken(seq: int, message: str) -> VerificationResult:
        return VerificationResult(
            intact=False,
            entries=count,
            head_seq=expected_seq - 1,
            head_hash=prev_hash,
            message=message,
            broken_seq=seq,
        )

    for row in _rows(chunk_size):
        seq, action = row["seq"], row["action"]
        if seq != expected_seq:
            return broken(
                seq,
                f"Entry #{seq} ({action}) follows #{expected_seq - 1}: "
                f"entries #{expected_seq}–#{seq - 1} are missing (deleted).",
            )
        if row["prev_hash"] != prev_hash:
            return broken(
                seq,
                f"Entry #{seq} ({action}) does not link to the previous entry: stored previous "
                f"hash {_short(row['prev_hash'])}, expected {_short(prev_hash)}.",
            )
        recomputed = entry_hash(
            seq=seq,
            at=row["at"],
            actor_id=row["actor_id"],
            action=action,
            target_type=row["target_type"],
            target_id=row["target_id"],
            data=row["data"],
            prev_hash=row["prev_hash"],
        )
        if recomputed != row["hash"]:
            return broken(
                seq,
                f"Entry #{seq} ({action}) was altered: stored hash {_short(row['hash'])}, "
                f"recomputed {_short(recomputed)}.",
            )
        count += 1
        expected_seq += 1
        prev_hash = row["hash"]

    head = LedgerHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if (head_seq, head_hash) != (expected_seq - 1, prev_hash):
        return broken(
            head_seq,
            f"The head says #{head_seq} ({_short(head_hash)}) but the chain ends at "
            f"#{expected_seq - 1} ({_short(prev_hash)}): the last entries were removed "
            "or the head was moved.",
        )
    return VerificationResult(
        intact=True,
        entries=count,
        head_seq=head_seq,
        head_hash=head_hash,
        message=f"Ledger intact: {count} entries, head {_short(head_hash)}",
    )
