"""Recompute the audit ledger's hash chain and name the first entry that does not fit.

The chain may hold a sealed old segment (see `minegap.ledger.sealing`): its sealed entries are
checked against their sealed hash (and their original hash while the original data is kept),
and the seal entry that closes the segment against the seal of all of them.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from minegap.ledger.hashing import GENESIS_HASH, entry_hash, payload_digest
from minegap.ledger.models import AuditEntry, LedgerHead
from minegap.ledger.personal import NOTES_DIGEST_KEY, SEALED_DIGEST_KEY
from minegap.ledger.sealing import SEAL_ACTION, seal_digest

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
    "erasable__payload",
    "erasable__salt",
    "erasable__digest",
    "erasable__sealed_hash",
)
HASHED = ("seq", "at", "actor_id", "action", "target_type", "target_id", "data", "prev_hash")


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
    """One entry's content verifies (its hash, or its sealed hash and kept original, and any
    erasable payload's digest); the links around it are `verify_chain`'s business."""
    try:
        erasable = entry.erasable
    except ObjectDoesNotExist:
        erasable = None
    row = {name: getattr(entry, name) for name in HASHED}
    row["hash"] = entry.hash
    row["erasable__payload"] = erasable.payload if erasable else None
    row["erasable__salt"] = erasable.salt if erasable else None
    row["erasable__digest"] = erasable.digest if erasable else None
    row["erasable__sealed_hash"] = erasable.sealed_hash if erasable else None
    return _entry_problem(row) is None


def _short(digest: str) -> str:
    return f"{digest[:12]}…"


def _payload_problem(row: dict[str, Any], committed: Any) -> str | None:
    """The kept payload (if not erased) must still match the digest the entry commits to."""
    payload, salt, digest = (
        row["erasable__payload"],
        row["erasable__salt"],
        row["erasable__digest"],
    )
    if committed != digest:
        return "its erasable payload's digest is not the one its data commits to"
    if payload is not None and payload_digest(salt=salt, payload=payload) != digest:
        return "its erasable payload was altered"
    return None


def _entry_problem(row: dict[str, Any]) -> str | None:
    """Why this entry's own content does not verify (None: it does)."""
    fields = {name: row[name] for name in HASHED}
    data = row["data"] if isinstance(row["data"], dict) else {}
    if row["erasable__sealed_hash"]:
        if entry_hash(**fields) != row["erasable__sealed_hash"]:
            return "was altered after its personal data was sealed"
        problem = _payload_problem(row, data.get(SEALED_DIGEST_KEY))
        if problem:
            return problem
        if row["erasable__payload"] is not None:
            original = entry_hash(**{**fields, "data": row["erasable__payload"]})
            if original != row["hash"]:
                return (
                    f"was altered: stored hash {_short(row['hash'])}, recomputed from its "
                    f"sealed original {_short(original)}"
                )
        return None
    if SEALED_DIGEST_KEY in data:
        return "claims to be sealed but has no sealed record"
    recomputed = entry_hash(**fields)
    if recomputed != row["hash"]:
        return f"was altered: stored hash {_short(row['hash'])}, recomputed {_short(recomputed)}"
    if row["erasable__digest"] is not None or NOTES_DIGEST_KEY in data:
        return _payload_problem(row, data.get(NOTES_DIGEST_KEY))
    return None


def _seal_problem(row: dict[str, Any], sealed: list[tuple[int, str]]) -> str | None:
    """The seal entry must name the segment it closes and the seal of its sealed entries."""
    data = row["data"]
    expected = {
        "old_head_seq": row["seq"] - 1,
        "old_head_hash": row["prev_hash"],
        "sealed_entries": len(sealed),
        "seal_sha256": seal_digest(sealed),
    }
    if any(data.get(key) != value for key, value in expected.items()):
        first, last = (sealed[0][0], sealed[-1][0]) if sealed else (0, 0)
        return (
            f"does not seal the entries before it (sealed entries #{first}–#{last}): "
            "a sealed entry or its sealed record was altered, added or removed"
        )
    return None


def verify_chain(*, chunk_size: int = CHUNK_SIZE) -> VerificationResult:
    """Check seq continuity (1, 2, 3 …), each entry's hash, each prev_hash link, the sealed
    segment and its seal, and the head."""
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    sealed: list[tuple[int, str]] = []  # (seq, sealed hash) not yet covered by a seal entry

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
        problem = _entry_problem(row)
        if problem is None and action == SEAL_ACTION:
            problem = _seal_problem(row, sealed)
            sealed = []
        if problem:
            return broken(seq, f"Entry #{seq} ({action}) {problem}.")
        if row["erasable__sealed_hash"]:
            sealed.append((seq, row["erasable__sealed_hash"]))
        count += 1
        expected_seq += 1
        prev_hash = row["hash"]

    if sealed:
        return broken(
            sealed[0][0],
            f"Entry #{sealed[0][0]} is sealed but no seal entry ({SEAL_ACTION}) follows it.",
        )
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
