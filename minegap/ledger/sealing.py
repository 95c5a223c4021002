"""Sealing the old segment: the entries written before the ledger refused personal data.

A migration cannot rewrite a hash chain, and an entry's hash covers its data. So the entries
written before `record()` refused personal data (invitees' e-mail addresses, token names,
reasons and comments) are handled once, by migration 0005, like this:

1. The whole chain is checked first (hashes and links); if it is already broken, sealing
   refuses, because it would hide the break.
2. Each old entry whose data holds personal data (`minegap.ledger.personal`) keeps its seq,
   time, actor id, action, target, prev_hash and hash; its data becomes
   ``{"sealed_sha256": <salted SHA-256 of the original data>}``. The original data moves to an
   `ErasablePayload` row with its salt, and `sealed_hash`: the hash of the entry as it now reads.
3. One new entry, ``ledger.personal_data.sealed``, is appended to the chain as usual (its
   prev_hash is the old head's hash). Its data holds the old head (seq and hash), the number of
   sealed entries and the seal: the SHA-256 of their ``"<seq>:<sealed_hash>\\n"`` lines. Every
   later entry chains onto it, so the seal is as fixed as any entry.

`verify_ledger` then proves the whole history (`minegap.ledger.verification`): every link; each
unsealed entry's hash; each sealed entry against its `sealed_hash` and the seal (so a changed
actor, action, target or time is named), and, while the original data is still kept, the
original hash too. Erasure blanks a payload (and its salt): the sealed entry still verifies.
"""

import hashlib
import secrets
from collections.abc import Iterable

from django.db import connections, models, transaction
from django.utils import timezone

from minegap.ledger.hashing import GENESIS_HASH, entry_hash, payload_digest
from minegap.ledger.personal import SEALED_DIGEST_KEY, personal_data_problems

SEAL_ACTION = "ledger.personal_data.sealed"
SEAL_TARGET_TYPE = "ledger.segment"
APPEND_ONLY_TRIGGER = "ledger_auditentry_no_update_delete"


class LedgerAlreadyBroken(RuntimeError):
    """The chain does not verify: sealing now would hide the break."""


def seal_digest(sealed: Iterable[tuple[int, str]]) -> str:
    """SHA-256 of one ``"<seq>:<sealed_hash>\\n"`` line per sealed entry, in seq order."""
    digest = hashlib.sha256()
    for seq, sealed_hash in sealed:
        digest.update(f"{seq}:{sealed_hash}\n".encode())
    return digest.hexdigest()


def _fields(entry, *, data) -> dict:
    return {
        "seq": entry.seq,
        "at": entry.at,
        "actor_id": entry.actor_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "data": data,
        "prev_hash": entry.prev_hash,
    }


def _set_append_only_trigger(connection, *, enabled: bool) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite has no trigger: the model refuses, and we bypass it below
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending checks
        verb = "ENABLE" if enabled else "DISABLE"
        cursor.execute(f"ALTER TABLE ledger_auditentry {verb} TRIGGER {APPEND_ONLY_TRIGGER}")


def seal_personal_data(*, entry_model, payload_model, head_model, using: str = "default"):
    """Seal every entry holding personal data and append the seal entry; return it (None when
    nothing held personal data). Models are parameters so the migration passes its own."""
    connection = connections[using]
    with transaction.atomic(using=using):
        head = head_model.objects.using(using).select_for_update().filter(pk=1).first()
        if head is None or head.seq == 0:
            return None
        to_seal = []
        expected_seq, prev_hash = 1, GENESIS_HASH
        for entry in entry_model.objects.using(using).order_by("seq").iterator(chunk_size=2000):
            intact = (
                entry.seq == expected_seq
                and entry.prev_hash == prev_hash
                and entry.hash == entry_hash(**_fields(entry, data=entry.data))
            )
            if not intact:
                raise LedgerAlreadyBroken(
                    f"Entry #{entry.seq} does not verify: run `manage.py verify_ledger` and "
                    "resolve the break before sealing personal data (sealing would hide it)."
                )
            if personal_data_problems(entry.data):
                to_seal.append(entry)
            expected_seq, prev_hash = entry.seq + 1, entry.hash
        if (head.seq, head.hash) != (expected_seq - 1, prev_hash):
            raise LedgerAlreadyBroken("The ledger's head does not match its last entry.")
        if not to_seal:
            return None

        payloads, sealed = [], []
        for entry in to_seal:
            salt = secrets.token_hex(16)
            digest = payload_digest(salt=salt, payload=entry.data)
            sealed_data = {SEALED_DIGEST_KEY: digest}
            sealed_hash = entry_hash(**_fields(entry, data=sealed_data))
            payloads.append(
                payload_model(
                    entry_id=entry.pk,
                    payload=entry.data,
                    salt=salt,
                    digest=digest,
                    sealed_hash=sealed_hash,
                )
            )
            sealed.append((entry.seq, sealed_hash, sealed_data, entry.pk))
        _set_append_only_trigger(connection, enabled=False)
        # A plain QuerySet: the model's own queryset refuses updates, as it should elsewhere.
        rows = models.QuerySet(model=entry_model, using=using)
        for _seq, _sealed_hash, sealed_data, pk in sealed:
            rows.filter(pk=pk).update(data=sealed_data)
        _set_append_only_trigger(connection, enabled=True)
        payload_model.objects.using(using).bulk_create(payloads)

        seq, at = head.seq + 1, timezone.now()
        data = {
            "old_head_seq": head.seq,
            "old_head_hash": head.hash,
            "sealed_entries": len(sealed),
            "seal_sha256": seal_digest((s, h) for s, h, _d, _pk in sealed),
        }
        fields = {
            "seq": seq,
            "at": at,
            "actor_id": None,
            "action": SEAL_ACTION,
            "target_type": SEAL_TARGET_TYPE,
            "target_id": str(head.seq),
            "data": data,
            "prev_hash": head.hash,
        }
        digest = entry_hash(**fields)
        seal_entry = entry_model(**fields, hash=digest)
        seal_entry.save(using=using, force_insert=True)
        head_model.objects.using(using).filter(pk=1).update(seq=seq, hash=digest)
        return seal_entry
