"""Whatever a service puts in `data`, the stored entry re-hashes to the same value, on SQLite
and on PostgreSQL (whose jsonb normalises numbers and refuses NUL characters)."""

import datetime
import hashlib
import uuid
from decimal import Decimal

import pytest
from django.db import transaction

from minegap.ledger.models import AuditEntry
from minegap.ledger.selectors import audit_entry_for_target
from minegap.ledger.services import record
from minegap.ledger.verification import verify_chain

pytestmark = pytest.mark.django_db


def test_awkward_values_are_stored_as_hashed_and_the_chain_verifies():
    with transaction.atomic():
        entry = record(
            action="tests.thing.changed",
            target_type="tests.thing",
            target_id="1",
            data={
                "amount": Decimal("60000.00"),
                "when": datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC),
                "day": datetime.date(2026, 5, 1),
                "id": uuid.UUID(int=5),
                "score": 4.5,
                "whole": 3.0,
                "big": 1e20,
                "tiny": 1.5e-7,
                "negative_zero": -0.0,
                "nan": float("nan"),
                "huge_int": 2**62,
                "label": "Åre — €\u2028ok\x00",
                "items": (1, "a", {"nested": None}),
            },
        )

    expected = {
        "amount": "60000.00",
        "when": "2026-05-01T12:00:00Z",
        "day": "2026-05-01",
        "id": "00000000-0000-0000-0000-000000000005",
        "score": 4.5,
        "whole": 3.0,
        "big": 100000000000000000000,
        "tiny": 1.5e-7,
        "negative_zero": 0.0,
        "nan": "nan",
        "huge_int": 2**62,
        "label": "Åre — €\u2028ok",
        "items": [1, "a", {"nested": None}],
    }
    assert entry.data == expected
    assert AuditEntry.objects.get(pk=entry.pk).data == expected
    result = verify_chain()
    assert (result.intact, result.entries) == (True, 1)


def test_the_canonical_json_is_what_the_hash_covers():
    with transaction.atomic():
        entry = record(
            action="evaluation.decision.adopted",
            target_type="evaluation.decision",
            target_id="3",
            data={"ranking": [7, 5], "amount": Decimal("1.50")},
        )
    stored = AuditEntry.objects.get(pk=entry.pk)
    at = stored.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")

    assert stored.canonical_json() == (
        f'{{"action":"evaluation.decision.adopted","actor":null,"at":"{at}",'
        f'"data":{{"amount":"1.50","ranking":[7,5]}},"prev_hash":"{"0" * 64}","seq":1,'
        f'"target_id":"3","target_type":"evaluation.decision"}}'
    )
    assert hashlib.sha256(stored.canonical_json().encode()).hexdigest() == stored.hash


def test_the_history_of_one_target_is_oldest_first():
    with transaction.atomic():
        first = record(
            action="calls.application.submitted", target_type="calls.application", target_id="9"
        )
        record(
            action="calls.application.submitted", target_type="calls.application", target_id="10"
        )
        second = record(
            action="calls.application.withdrawn", target_type="calls.application", target_id=9
        )

    history = audit_entry_for_target(target_type="calls.application", target_id=9)

    assert [entry.pk for entry in history] == [first.pk, second.pk]
