"""The chain's hash: SHA-256 over the canonical JSON of an entry and the previous entry's hash.

Anyone can check an entry without MineGap's code: take the canonical JSON below (keys sorted,
no spaces, UTF-8, time in UTC with microseconds) and compute its SHA-256.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    data: dict[str, Any],
    prev_hash: str,
) -> str:
    payload = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "action": action,
        "target_type": target_type,
        "target_id": str(target_id),
        "data": data,
        "prev_hash": prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(**fields: Any) -> str:
    """SHA-256 (hex) of `canonical_json(**fields)`; same keyword arguments."""
    return hashlib.sha256(canonical_json(**fields).encode("utf-8")).hexdigest()


def payload_digest(*, salt: str, payload: Any) -> str:
    """Salted SHA-256 of a payload kept outside the hashed content (`ErasablePayload`).

    The salt is random and erased with the payload, so the digest left in the chain cannot be
    matched against guessed texts or addresses afterwards."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()
