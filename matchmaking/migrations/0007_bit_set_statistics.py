"""Planner statistics for each bit of the bit-set facets (PostgreSQL only).

A filter "(stages & 4) <> 0" is, for PostgreSQL, an expression it knows nothing about: it guesses
that nearly every row passes. With a statistics object on "stages & 4" it knows how many do, and
picks the right plan (e.g. a search for a rare word in one stage: the word's index and the
stage's rows, instead of walking the whole table newest first). One object per bit, for the
vocabulary sizes of this migration (a code added later just goes without).
"""

from django.db import migrations

TABLE = "matchmaking_partnerprofile"
BITS = {"stages": 7, "sectors": 5, "raw_materials": 34}


def _names():
    for column, count in BITS.items():
        for bit in range(count):
            yield f"profile_{column}_bit_{bit}", column, bit


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column, bit in _names():
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {name} ON ({column} & {1 << bit}) FROM {TABLE}"
        )
    schema_editor.execute(f"ANALYZE {TABLE}")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column, _bit in _names():
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0006_recommend_index_facet_tally_interest_end")]

    operations = [migrations.RunPython(create_statistics, drop_statistics)]
