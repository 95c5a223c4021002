"""Writing to the audit ledger. Call `record` inside the transaction of the change it records."""

import json
import math
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from minegap.ledger.hashing import GENESIS_HASH, entry_hash, payload_digest
from minegap.ledger.models import AuditEntry, ErasablePayload, LedgerHead
from minegap.ledger.personal import NOTES_DIGEST_KEY, refuse_personal_data

REDACTED = "[redacted]"
SECRET_KEY_PARTS = ("password", "secret", "token", "iban", "otp", "recovery")


def _redact(value: Any) -> Any:
    """Secrets become "[redacted]"; NUL characters (which PostgreSQL's jsonb refuses) go."""
    if isinstance(value, dict):
        return {
            _without_nul(key): REDACTED
            if any(part in str(key).lower() for part in SECRET_KEY_PARTS)
            else _redact(v)
            for key, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact(v) for v in value]
    return _without_nul(value)


def _without_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


def _stable_float(value: float) -> float | int | str:
    """A float exactly as PostgreSQL's jsonb gives it back, so the stored data re-hashes the same:
    jsonb has no -0.0, NaN or infinity, and turns 1e+20 into 100000000000000000000."""
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return 0.0
    if "e+" in repr(value):
        return int(value)
    return value


def _stable_numbers(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _stable_numbers(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_stable_numbers(v) for v in value]
    if isinstance(value, float):
        return _stable_float(value)
    return value


def _plain_json(data: dict[str, Any]) -> dict[str, Any]:
    """Decimals, dates and UUIDs become strings, so the hash covers exactly what is stored."""
    return _stable_numbers(json.loads(json.dumps(_redact(data), cls=DjangoJSONEncoder)))


def target_label(target: models.Model) -> str:
    return f"{target._meta.app_label}.{target._meta.model_name}"


@dataclass(frozen=True)
class Entry:
    """One entry to append (`record`'s arguments), for `record_many`."""

    action: str
    target: models.Model | None = None
    actor: Any = None
    data: dict[str, Any] | None = None
    target_type: str = ""
    target_id: str | int = ""
    notes: Mapping[str, str] | None = None


def record(
    *,
    action: str,
    target: models.Model | None = None,
    actor: Any = None,
    data: dict[str, Any] | None = None,
    target_type: str = "",
    target_id: str | int = "",
    notes: Mapping[str, str] | None = None,
) -> AuditEntry:
    """Append an entry to the chain.

    `action` is a namespaced code such as ``calls.application.submitted``. Must run inside the
    caller's transaction: the entry commits or rolls back with the change. The head row lock is
    taken here, so call it as the last step before commit to keep the global lock short.

    `data` is hashed forever, so it names people by id only: e-mail addresses, person-name keys
    and free-text keys are refused (`PersonalDataInLedger`, see `minegap.ledger.personal`).
    `notes` are texts a person wrote (a reason, a comment): kept beside the entry in an
    erasable row, proved by the salted digest the hashed data holds (``notes_sha256``); read
    them back as `entry.notes`.
    """
    (entry,) = record_many(
        [Entry(action, target, actor, data, target_type, target_id, notes)], _one=True
    )
    return entry


def record_many(entries: Iterable[Entry], *, _one: bool = False) -> list[AuditEntry]:
    """Append entries to the chain in their order, under one lock of the head, in one insert:
    for a change of many records at once (an entry each), which `record` would append one head
    lock, insert and head update at a time. Same rules as `record`."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger.record() must run inside the transaction of the change.")
    prepared = []
    for entry in entries:
        target_type, target_id = entry.target_type, str(entry.target_id)
        if entry.target is not None:
            target_type, target_id = target_label(entry.target), str(entry.target.pk)
        actor = entry.actor
        actor_id = (
            actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
        )
        payload = _plain_json(entry.data or {})
        refuse_personal_data(payload)
        texts = {str(key): str(text) for key, text in (entry.notes or {}).items() if text}
        salt = secrets.token_hex(16) if texts else ""
        if texts:
            texts = _plain_json(texts)
            payload[NOTES_DIGEST_KEY] = payload_digest(salt=salt, payload=texts)
        prepared.append((entry.action, target_type, target_id, actor_id, payload, texts, salt))
    if not prepared:
        return []

    head = LedgerHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        LedgerHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
        head = LedgerHead.objects.select_for_update().get(pk=1)

    seq, prev_hash, at = head.seq, head.hash, timezone.now()
    rows, erasable = [], []
    for action, target_type, target_id, actor_id, payload, texts, salt in prepared:
        seq += 1
        digest = entry_hash(
            seq=seq,
            at=at,
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            data=payload,
            prev_hash=prev_hash,
        )
        row = AuditEntry(
            seq=seq,
            at=at,
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            data=payload,
            prev_hash=prev_hash,
            hash=digest,
        )
        rows.append(row)
        if texts:
            erasable.append(
                ErasablePayload(
                    entry=row, payload=texts, salt=salt, digest=payload[NOTES_DIGEST_KEY]
                )
            )
        prev_hash = digest
    if _one:
        rows[0].save()  # the model's own insert-only save
    else:
        AuditEntry.objects.bulk_create(rows)  # inserts only; the PostgreSQL trigger stands
    LedgerHead.objects.filter(pk=1).update(seq=seq, hash=prev_hash)
    if _one and erasable:
        erasable[0].save()
    elif erasable:
        for payload in erasable:
            payload.entry_id = payload.entry.pk  # set by bulk_create
        ErasablePayload.objects.bulk_create(erasable)
    return rows


def erase_payloads(payloads: "models.QuerySet[ErasablePayload]") -> int:
    """Forget the personal content kept beside ledger entries (erasure, retention).

    The chain is untouched: the hashed content holds only salted digests, and once the salt is
    gone nobody can test a guess against them. Returns how many payloads were erased."""
    return payloads.filter(erased_at__isnull=True).update(
        payload=None, salt="", erased_at=timezone.now()
    )
