"""The chain starts at the genesis head: seq 0, hash of 64 zeros."""

from django.db import migrations

GENESIS_HASH = "0" * 64  # frozen copy of minegap.ledger.hashing.GENESIS_HASH


def create_head(apps, schema_editor):
    LedgerHead = apps.get_model("ledger", "LedgerHead")
    LedgerHead.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
    )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
