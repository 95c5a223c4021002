import pytest
from django.db import transaction

from minegap.ledger.hashing import GENESIS_HASH, entry_hash
from minegap.ledger.models import AuditEntry
from minegap.ledger.selectors import head_hash
from minegap.ledger.services import Entry, record, record_many
from minegap.ledger.verification import verify_chain
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_entries_chain_each_to_the_previous_hash():
    organisation = OrganisationFactory()
    with transaction.atomic():
        first = record(action="accounts.organisation.created", target=organisation)
        second = record(action="accounts.organisation.updated", target=organisation, data={"a": 1})

    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    stored = AuditEntry.objects.get(seq=2)
    assert stored.hash == entry_hash(
        seq=2,
        at=stored.at,
        actor_id=None,
        action="accounts.organisation.updated",
        target_type="accounts.organisation",
        target_id=str(organisation.pk),
        data={"a": 1},
        prev_hash=first.hash,
    )


def test_secrets_are_redacted_before_hashing():
    organisation = OrganisationFactory()
    with transaction.atomic():
        entry = record(
            action="accounts.organisation.updated",
            target=organisation,
            data={"label": "X", "password": "hunter2", "nested": {"api_token": "abc"}},
        )
    assert entry.data == {
        "label": "X",
        "password": "[redacted]",
        "nested": {"api_token": "[redacted]"},
    }


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(action="x.y.z", target_type="x", target_id="1")


def test_record_many_appends_a_chain_in_one_go_that_verifies(django_assert_num_queries):
    organisations = [OrganisationFactory() for _ in range(3)]
    with transaction.atomic():
        before = record(action="accounts.organisation.created", target=organisations[0])
        # The head locked, the entries inserted together, the head moved, their notes inserted
        # together: whatever their number.
        with django_assert_num_queries(4):
            entries = record_many(
                Entry(
                    action="accounts.organisation.updated",
                    target=o,
                    data={"n": i},
                    notes={"reason": f"because {i}"},
                )
                for i, o in enumerate(organisations)
            )

    stored = list(AuditEntry.objects.filter(seq__gt=before.seq).order_by("seq"))
    assert [(e.seq, e.target_id, e.data["n"], e.notes) for e in stored] == [
        (2, str(organisations[0].pk), 0, {"reason": "because 0"}),
        (3, str(organisations[1].pk), 1, {"reason": "because 1"}),
        (4, str(organisations[2].pk), 2, {"reason": "because 2"}),
    ]
    assert [e.prev_hash for e in stored] == [before.hash, stored[0].hash, stored[1].hash]
    assert [e.hash for e in entries] == [e.hash for e in stored]
    verification = verify_chain()
    assert (verification.intact, verification.entries, verification.head_seq) == (True, 4, 4)


def test_the_heads_hash_is_the_last_entrys_and_moves_with_every_append():
    organisation = OrganisationFactory()
    assert head_hash() == GENESIS_HASH  # nothing recorded yet

    with transaction.atomic():
        first = record(action="accounts.organisation.created", target=organisation)
    assert head_hash() == first.hash

    with transaction.atomic():
        _second, third = record_many(
            [
                Entry(action="accounts.organisation.updated", target=organisation),
                Entry(action="accounts.organisation.updated", target=organisation, data={"a": 1}),
            ]
        )
    assert head_hash() == third.hash != first.hash
