"""The ledger keeps no personal data in its hashed content (issue #14).

The guard in `record()`, notes kept beside the entry, the sealing of the old segment (the
migration's function, run with the migration's own historical models), `verify_ledger` over
the whole history, erasure of what was kept beside, and the name shown at read time.
"""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services.erasure import erasure_request_process
from minegap.ledger.hashing import GENESIS_HASH, entry_hash
from minegap.ledger.models import AuditEntry, ErasablePayload, LedgerHead
from minegap.ledger.personal import PersonalDataInLedger
from minegap.ledger.sealing import LedgerAlreadyBroken, seal_digest, seal_personal_data
from minegap.ledger.services import erase_payloads, record
from minegap.ledger.verification import verify_chain
from tests.auth import sign_in
from tests.factories import UserFactory
from tests.minegap.ledger_helpers import raw_execute
from tests.minegap.test_ledger_browser import staff_with_mfa

pytestmark = pytest.mark.django_db

AN_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def write(*, data=None, notes=None, actor=None, action="tests.thing.changed"):
    with transaction.atomic():
        return record(
            action=action,
            actor=actor,
            target_type="tests.thing",
            target_id="1",
            data=data,
            notes=notes,
        )


# The guard -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"organisation": 3, "email": "x"}, "key “email” names or reaches a person"),
        ({"full_name": "Ana Ruiz"}, "key “full_name” names or reaches a person"),
        ({"phone": "+358 40 123"}, "key “phone” names or reaches a person"),
        ({"reason": "late"}, "key “reason” holds free text a person wrote: pass it as notes="),
        ({"invitee": "ana.ruiz@mine.example"}, "data.invitee holds an e-mail address"),
        ({"who": {"list": ["a", "Ana <ana@mine.fi>"]}}, "data.who.list[1] holds an e-mail address"),
        ({"notes_sha256": "0" * 64}, "key “notes_sha256” is written by the ledger itself"),
    ],
)
def test_record_refuses_personal_data_and_writes_nothing(data, named):
    with pytest.raises(PersonalDataInLedger) as refused:
        write(data=data)
    assert named in str(refused.value)
    assert str(refused.value).startswith(
        "The ledger's hashed data must not hold personal data (it can never be erased): "
    )
    assert (AuditEntry.objects.count(), LedgerHead.objects.get().seq) == (0, 0)


def test_ids_states_amounts_and_organisation_names_pass():
    entry = write(data={"organisation": 4, "legal_name": "Lapland Ore Oy", "amount": "10.00"})
    assert entry.data == {"organisation": 4, "legal_name": "Lapland Ore Oy", "amount": "10.00"}


def test_notes_are_kept_beside_the_entry_and_proved_by_a_salted_digest(capsys):
    entry = write(data={"from": "due"}, notes={"reason": "Ana Ruiz phoned: +358 40 123"})

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert sorted(stored.data) == ["from", "notes_sha256"]
    assert "Ana" not in json.dumps(stored.data)
    assert stored.notes == {"reason": "Ana Ruiz phoned: +358 40 123"}
    call_command("verify_ledger")
    assert capsys.readouterr().out.startswith("Ledger intact: 1 entries")

    raw_execute("UPDATE ledger_erasablepayload SET payload = %s", ['{"reason": "nothing"}'])
    with pytest.raises(CommandError) as broken:
        call_command("verify_ledger")
    assert str(broken.value) == ("Entry #1 (tests.thing.changed) its erasable payload was altered.")


def test_erased_notes_leave_a_chain_that_verifies():
    entry = write(notes={"comment": "Ask Ana (ana@mine.fi) again"})
    write(data={"n": 2})

    assert erase_payloads(ErasablePayload.objects.all()) == 1

    kept = ErasablePayload.objects.get(entry=entry)
    assert (kept.payload, kept.salt, kept.erased_at is not None) == (None, "", True)
    assert AuditEntry.objects.get(pk=entry.pk).notes == {}
    assert verify_chain().intact


# The old segment: entries written before the guard, sealed by migration 0005 -----------------


def write_legacy(*, action, data, actor=None) -> AuditEntry:
    """An entry as the ledger wrote it before it refused personal data."""
    with transaction.atomic():
        head = LedgerHead.objects.select_for_update().get()
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor.pk if actor else None,
            action=action,
            target_type="tests.thing",
            target_id="7",
            data=data,
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(
            seq=entry.seq,
            at=entry.at,
            actor_id=entry.actor_id,
            action=action,
            target_type="tests.thing",
            target_id="7",
            data=data,
            prev_hash=head.hash,
        )
        entry.save()
        LedgerHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    return AuditEntry.objects.get(pk=entry.pk)


def historical_models():
    """The models as migration 0005 sees them (what `RunPython` passes to the function)."""
    state = MigrationLoader(connection).project_state(("ledger", "0005_seal_personal_data"))
    return {
        "entry_model": state.apps.get_model("ledger", "AuditEntry"),
        "payload_model": state.apps.get_model("ledger", "ErasablePayload"),
        "head_model": state.apps.get_model("ledger", "LedgerHead"),
    }


@pytest.fixture
def old_segment():
    staff = UserFactory(full_name="Stella Staff")
    return [
        write_legacy(
            action="accounts.invitation.sent",
            actor=staff,
            data={"organisation": 1, "email": "ana.ruiz@mine.example", "role": "member"},
        ),
        write_legacy(action="calls.call.published", data={"slug": "c1"}),
        write_legacy(
            action="vouchers.instalment.withheld",
            actor=staff,
            data={"from": "due", "reason": "Ana Ruiz did not answer"},
        ),
        write_legacy(action="evaluation.evaluator.invited", data={"email": "eve@eval.example"}),
    ]


def test_sealing_moves_old_personal_data_out_and_anchors_the_old_segment(old_segment, capsys):
    old_head = old_segment[-1]

    seal = seal_personal_data(**historical_models())

    rows = {e.seq: e for e in AuditEntry.objects.select_related("erasable")}
    # The old entries keep their place, time, actor, action, target and original hash.
    assert [(rows[e.seq].hash, rows[e.seq].actor_id) for e in old_segment] == [
        (e.hash, e.actor_id) for e in old_segment
    ]
    # What held personal data now holds a salted digest only; the rest is untouched.
    assert set(rows[1].data) == set(rows[3].data) == set(rows[4].data) == {"sealed_sha256"}
    assert rows[2].data == {"slug": "c1"}
    assert rows[1].erasable.payload == {
        "organisation": 1,
        "email": "ana.ruiz@mine.example",
        "role": "member",
    }
    # One new entry anchors the old segment and opens the new one.
    assert (seal.seq, seal.prev_hash, seal.action, seal.actor_id) == (
        5,
        old_head.hash,
        "ledger.personal_data.sealed",
        None,
    )
    assert seal.data == {
        "old_head_seq": 4,
        "old_head_hash": old_head.hash,
        "sealed_entries": 3,
        "seal_sha256": seal_digest([(seq, rows[seq].erasable.sealed_hash) for seq in (1, 3, 4)]),
    }
    new = write(data={"after": True})
    assert new.prev_hash == seal.hash

    call_command("verify_ledger")
    assert capsys.readouterr().out == f"Ledger intact: 6 entries, head {new.hash[:12]}…\n"

    # Erasure forgets the originals: nothing personal is left anywhere in the ledger's tables,
    # and the whole history still verifies.
    assert erase_payloads(ErasablePayload.objects.all()) == 3
    everything = json.dumps(list(AuditEntry.objects.values_list("data", flat=True)))
    everything += json.dumps(list(ErasablePayload.objects.values_list("payload", flat=True)))
    assert (AN_EMAIL.findall(everything), "Ana" in everything) == ([], False)
    call_command("verify_ledger")
    assert capsys.readouterr().out == f"Ledger intact: 6 entries, head {new.hash[:12]}…\n"


def test_nothing_personal_nothing_sealed():
    write_legacy(action="calls.call.published", data={"slug": "c1"})
    assert seal_personal_data(**historical_models()) is None
    assert AuditEntry.objects.count() == 1


def test_a_broken_chain_is_not_sealed(old_segment):
    raw_execute("UPDATE ledger_auditentry SET action = %s WHERE seq = 2", ["calls.call.closed"])
    with pytest.raises(LedgerAlreadyBroken, match="Entry #2 does not verify"):
        seal_personal_data(**historical_models())
    assert ErasablePayload.objects.count() == 0


@pytest.mark.parametrize("erased", [False, True])
@pytest.mark.parametrize(
    ("sql", "params", "message"),
    [
        (  # a sealed entry's actor changed
            "UPDATE ledger_auditentry SET actor_id = NULL WHERE seq = 3",
            [],
            "Entry #3 (vouchers.instalment.withheld) was altered after its personal data was "
            "sealed.",
        ),
        (  # an old entry that was not sealed
            "UPDATE ledger_auditentry SET data = %s WHERE seq = 2",
            ['{"slug": "c2"}'],
            "Entry #2 (calls.call.published) was altered:",
        ),
        (  # a sealed entry's digest swapped for another's
            "UPDATE ledger_auditentry SET data = (SELECT data FROM ledger_auditentry WHERE seq = 1)"
            " WHERE seq = 4",
            [],
            "Entry #4 (evaluation.evaluator.invited) was altered after its personal data was "
            "sealed.",
        ),
    ],
)
def test_a_tampered_old_entry_is_named(old_segment, sql, params, message, erased):
    seal_personal_data(**historical_models())
    write(data={"after": True})
    if erased:
        erase_payloads(ErasablePayload.objects.all())

    raw_execute(sql, params)

    with pytest.raises(CommandError) as broken:
        call_command("verify_ledger")
    assert str(broken.value).startswith(message)


def test_a_kept_original_that_was_altered_is_named(old_segment):
    seal_personal_data(**historical_models())
    raw_execute(
        "UPDATE ledger_erasablepayload SET payload = %s WHERE entry_id = %s",
        ['{"from": "due", "reason": "nothing"}', old_segment[2].pk],
    )
    result = verify_chain()
    assert (result.intact, result.broken_seq, result.message) == (
        False,
        3,
        "Entry #3 (vouchers.instalment.withheld) its erasable payload was altered.",
    )


def test_a_sealed_record_rewritten_with_its_entry_breaks_the_seal(old_segment):
    """Rewriting an entry and its sealed hash together still fails: the seal entry covers them."""
    seal_personal_data(**historical_models())
    erase_payloads(ErasablePayload.objects.all())
    raw_execute("UPDATE ledger_auditentry SET action = %s WHERE seq = 3", ["x.y.z"])
    row = AuditEntry.objects.get(seq=3)
    forged = entry_hash(
        seq=3,
        at=row.at,
        actor_id=row.actor_id,
        action="x.y.z",
        target_type=row.target_type,
        target_id=row.target_id,
        data=row.data,
        prev_hash=row.prev_hash,
    )
    raw_execute(
        "UPDATE ledger_erasablepayload SET sealed_hash = %s WHERE entry_id = %s", [forged, row.pk]
    )
    result = verify_chain()
    assert (result.intact, result.broken_seq) == (False, 5)
    assert result.message == (
        "Entry #5 (ledger.personal_data.sealed) does not seal the entries before it (sealed "
        "entries #1–#4): a sealed entry or its sealed record was altered, added or removed."
    )


def test_a_removed_sealed_record_is_named(old_segment):
    seal_personal_data(**historical_models())
    raw_execute("DELETE FROM ledger_erasablepayload WHERE entry_id = %s", [old_segment[0].pk])
    result = verify_chain()
    assert (result.broken_seq, result.message) == (
        1,
        "Entry #1 (accounts.invitation.sent) claims to be sealed but has no sealed record.",
    )


def test_the_genesis_is_unchanged_by_sealing(old_segment):
    seal_personal_data(**historical_models())
    assert AuditEntry.objects.get(seq=1).prev_hash == GENESIS_HASH


# Reading: names at read time -------------------------------------------------------------------


def test_the_ledger_page_shows_the_actors_current_name(client):
    actor = UserFactory(full_name="Ana Ruiz", email="ana.ruiz@mine.example")
    entry = write(data={"n": 1}, actor=actor)
    actor.full_name, actor.email = "Erased person 7f3a", "erased-7f3a@invalid"
    actor.save(update_fields=["full_name", "email"])
    sign_in(client, staff_with_mfa())

    listed = client.get(reverse("ledger:list"))
    detail = client.get(reverse("ledger:detail", args=[entry.seq]))

    assert "Erased person 7f3a" in listed.text
    assert "Erased person 7f3a" in detail.text
    assert "Ana Ruiz" not in listed.text + detail.text
    assert "ana.ruiz@mine.example" not in listed.text + detail.text


def test_the_detail_page_shows_notes_until_they_are_erased(client):
    entry = write(notes={"reason": "The mine was flooded"})
    sign_in(client, staff_with_mfa())
    url = reverse("ledger:detail", args=[entry.seq])

    shown = client.get(url)
    assert "The mine was flooded" in shown.text
    assert "Recomputes correctly" in shown.text

    erase_payloads(ErasablePayload.objects.all())
    erased = client.get(url)
    assert "The mine was flooded" not in erased.text
    assert "Erased on" in erased.text
    assert "Recomputes correctly" in erased.text


# The demo, scanned ----------------------------------------------------------------------------


def test_no_email_address_or_person_name_in_any_entry_of_the_demo():
    call_command("seed_demo", stdout=io.StringIO())
    people = list(User.objects.values_list("full_name", "email"))
    assert len(people) > 10  # the demo's staff, evaluators, committee and SME contacts

    entries = list(AuditEntry.objects.values_list("seq", "action", "data"))
    assert len(entries) > 50
    found = []
    for seq, action, data in entries:
        hashed = json.dumps(data, ensure_ascii=False)
        found += [(seq, action, address) for address in AN_EMAIL.findall(hashed)]
        for full_name, email in people:
            found += [(seq, action, text) for text in (full_name, email) if text in hashed]
    assert found == []
    assert verify_chain().intact


# Erasure on request ---------------------------------------------------------------------------


def test_erasing_a_person_forgets_what_the_ledger_kept_about_them_and_the_chain_holds():
    staff = UserFactory(full_name="Stella Staff")
    ana = UserFactory(full_name="Ana  Ruiz", email="ana.ruiz@mine.example")
    write_legacy(
        action="accounts.invitation.sent",
        actor=staff,
        data={"organisation": 1, "email": "ANA.RUIZ@mine.example", "role": "member"},
    )
    write_legacy(action="accounts.api_token.created", actor=ana, data={"name": "laptop"})
    write_legacy(action="evaluation.evaluator.invited", actor=staff, data={"email": "bo@x.example"})
    seal_personal_data(**historical_models())
    about_ana = write(actor=staff, notes={"reason": "ana ruiz phoned to withdraw"})
    by_ana = write(actor=ana, notes={"reason": "We merged with another SME"})
    about_bo = write(actor=staff, notes={"reason": "Bo Berg asked for more time"})

    request = erasure_request_process(user=ana)

    kept = dict(ErasablePayload.objects.values_list("entry__seq", "payload"))
    assert kept == {
        1: None,  # her address, in an old entry
        2: None,  # her token's name, in an old entry she wrote
        3: {"email": "bo@x.example"},
        5: None,  # a note naming her
        6: {"reason": "We merged with another SME"},  # her words in her role: kept, pseudonymised
        7: {"reason": "Bo Berg asked for more time"},
    }
    assert (about_ana.seq, by_ana.seq, about_bo.seq) == (5, 6, 7)
    assert (
        "Your name, e-mail address or words kept beside 3 audit-ledger entries"
        in request.outcome["erased"]
    )
    assert verify_chain().intact


def test_a_sealed_entry_page_shows_its_original_until_erased_and_still_recomputes(
    client, old_segment
):
    seal_personal_data(**historical_models())
    sign_in(client, staff_with_mfa())
    url = reverse("ledger:detail", args=[1])

    shown = client.get(url)
    assert "Sealed original data" in shown.text
    assert "ana.ruiz@mine.example" in shown.text
    assert "Recomputes correctly" in shown.text

    erase_payloads(ErasablePayload.objects.all())
    erased = client.get(url)
    assert "ana.ruiz@mine.example" not in erased.text
    assert ("Erased on" in erased.text, "Recomputes correctly" in erased.text) == (True, True)
