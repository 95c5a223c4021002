"""The ledger's part of an erasure request (registered as the "ledger" erasure section).

The hashed content holds ids only, and the actor's name is read from the account row (which the
accounts app pseudonymises), so the chain itself needs nothing. What the ledger keeps beside its
entries can still name the person, and is erased here, before the account row is pseudonymised
(the sections run first, while the address and name are still on the row):

- the sealed originals of entries written before the ledger refused personal data
  (`minegap.ledger.sealing`) that the person wrote (actor) or that hold their address or name:
  they are legacy copies; the records themselves live in their own rows;
- notes (reasons, comments) that hold their address or name, whoever wrote them.

Notes the person wrote about others stay: they are the record of an act done in a role, and
are shown under the account's pseudonym. The chain still verifies after any erasure.
"""

from datetime import datetime
from typing import Any

from django.utils.translation import ngettext

from minegap.core.personal_data import ErasureOutcome, ErasureSection
from minegap.ledger.models import ErasablePayload
from minegap.ledger.services import erase_payloads

# A name shorter than this would match inside unrelated words.
SHORTEST_NAME_MATCHED = 4


def _needles(user: Any) -> list[str]:
    needles = [user.email.strip().lower()] if user.email.strip() else []
    name = " ".join(user.full_name.split()).lower()
    if len(name) >= SHORTEST_NAME_MATCHED:
        needles.append(name)
    return needles


def _mentions(payload: Any, needles: list[str]) -> bool:
    text = " ".join(str(payload).split()).lower()
    return any(needle in text for needle in needles)


def payloads_about(user: Any) -> list[int]:
    """Ids of the kept payloads (not yet erased) that belong to or name `user`."""
    needles = _needles(user)
    ids = []
    kept = ErasablePayload.objects.filter(erased_at__isnull=True).values_list(
        "pk", "payload", "sealed_hash", "entry__actor_id"
    )
    for pk, payload, sealed_hash, actor_id in kept.iterator(chunk_size=2000):
        if (sealed_hash and actor_id == user.pk) or _mentions(payload, needles):
            ids.append(pk)
    return ids


def erase(user: Any, now: datetime) -> ErasureOutcome:
    count = erase_payloads(ErasablePayload.objects.filter(pk__in=payloads_about(user)))
    erased = []
    if count:
        erased.append(
            ngettext(
                "Your name, e-mail address or words kept beside %(count)d audit-ledger entry",
                "Your name, e-mail address or words kept beside %(count)d audit-ledger entries",
                count,
            )
            % {"count": count}
        )
    return ErasureOutcome(erased=erased, kept=[])


def section() -> ErasureSection:
    return ErasureSection(name="ledger", erase=erase)
