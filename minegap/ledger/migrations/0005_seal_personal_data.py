"""Seal the entries written before the ledger refused personal data (issue #14).

A hash chain cannot be rewritten: `minegap.ledger.sealing` moves each such entry's data to an
erasable row, proved by a salted digest, and appends one ``ledger.personal_data.sealed`` entry
that anchors the old segment (its head hash and the seal of the sealed entries). The README's
"Ledger and personal data" paragraph explains it. Refuses to run on a chain that does not
verify. Irreversible: the seal entry is part of the chain from then on.
"""

from django.db import migrations

from minegap.ledger.sealing import seal_personal_data


def seal(apps, schema_editor):
    seal_personal_data(
        entry_model=apps.get_model("ledger", "AuditEntry"),
        payload_model=apps.get_model("ledger", "ErasablePayload"),
        head_model=apps.get_model("ledger", "LedgerHead"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_erasable_payload")]

    operations = [migrations.RunPython(seal, elidable=False)]
